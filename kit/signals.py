"""What the kit tells the apps above it, which it does not import."""

from django.dispatch import Signal

# A row was written with a queryset's update(), past Django's post_save (the one guarded write of every form,
# `kit.forms_flow.save_if_unchanged`, and the services that write so). Arguments: sender (the model), pk (None:
# some rows of it). The register keeps its obligations in line (`register.stored`).
row_updated = Signal()
