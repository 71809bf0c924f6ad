from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from kit.pagination import rows_in_order


class Pages(PageNumberPagination):
    """Pages of 50 (as the meetings page), up to 200 on request with ?page_size=.

    A `page_size` that is not a whole number from 1 to 200 is refused with the reason (400), never ignored: a
    client that asked for 500 rows and silently got 50 would read a short list as the whole one.

    A view with `page_by_pk = True` (a list sorted across joins, e.g. activities in plan order) has its page's
    ids sorted and cut first, then only those rows read whole, as `kit.pagination.paginate(by_pk=True)`.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= self.max_page_size:
            reason = _("Write a whole number from 1 to %(most)s, not %(value)r.") % {
                "most": self.max_page_size,
                "value": value[:40],
            }
            raise ValidationError({self.page_size_query_param: [reason]})
        return int(value)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size, default=self.page_size)
        return parameters

    def paginate_queryset(self, queryset, request, view=None):
        if not getattr(view, "page_by_pk", False):
            return super().paginate_queryset(queryset, request, view)
        pks = super().paginate_queryset(queryset.values_list("pk", flat=True), request, view)
        # Read by id from the view's own queryset: the filters chose the ids already, and asking them again of
        # the page's rows (an agency's links, a join made distinct) cost as much as choosing them.
        return None if pks is None else rows_in_order(view.get_queryset(), pks)
