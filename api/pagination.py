from rest_framework.pagination import PageNumberPagination

from gmg_portal.pagination import rows_in_order


class Pages(PageNumberPagination):
    """Pages of 50 (as the meetings page), up to 200 on request with ?page_size=.

    A view with `page_by_pk = True` (a list sorted across joins, e.g. activities in plan order) has its page's
    ids sorted and cut first, then only those rows read whole, as `gmg_portal.pagination.paginate(by_pk=True)`.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        if not getattr(view, "page_by_pk", False):
            return super().paginate_queryset(queryset, request, view)
        pks = super().paginate_queryset(queryset.values_list("pk", flat=True), request, view)
        # Read by id from the view's own queryset: the filters chose the ids already, and asking them again of
        # the page's rows (an agency's links, a join made distinct) cost as much as choosing them.
        return None if pks is None else rows_in_order(view.get_queryset(), pks)
