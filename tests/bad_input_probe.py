"""The portal's URLs plus two deliberately broken forms, for the bad-input gate's test of itself
(tests/test_bad_input.py): one keeps whatever it is given in an agency's acronym (100,000 characters, right-to-left
text, invisible marks), the other answers a server error on a right-to-left number."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path

from gmg_portal.urls import urlpatterns as portal_urlpatterns
from groups.models import Agency


class BrokenCodeForm(forms.Form):
    # No maximum and no identifier check: the broken copy of the agency form's acronym.
    acronym = forms.CharField()


@login_required
def keeps_anything(request):
    form = BrokenCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        Agency.objects.filter(acronym="ILO").update(note=form.cleaned_data["acronym"])
        return redirect("/")
    return render(request, "400.html", {"form": form, "reason": ""}, status=400 if form.is_bound else 200)


@login_required
def breaks_on_arabic(request):
    form = BrokenCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if any("\u0600" <= letter <= "\u06ff" for letter in form.cleaned_data["acronym"]):
            raise ValueError("value too long for type character varying(20)")
        return render(request, "400.html", {"form": form, "reason": "Refused."}, status=400)
    return render(request, "400.html", {"form": form, "reason": ""}, status=400 if form.is_bound else 200)


urlpatterns = [
    *portal_urlpatterns,
    path("probe/keeps-anything/", keeps_anything, name="probe_keeps_anything"),
    path("probe/breaks-on-arabic/", breaks_on_arabic, name="probe_breaks_on_arabic"),
]
