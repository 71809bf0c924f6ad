"""Pages of the work plans, one module per thing edited (workplans/urls.py imports each):

- plans: the list, a plan's page, a new plan, its settings, its copy for the next cycle, its versions;
- streams, outputs, activities: the editor's parts of a plan (and an activity's page);
- updates: progress updates and their review loop, an agency's activities, reporting rounds;
- spreadsheets: a plan exported to a workbook and an edited one imported; iati: a plan as IATI open data;
- common: what the editor's views share (who may do what on a row, the parts drawn again, the ways to write).

Views parse the request, check the permission in `kit.access` (a refusal is a 403 page with the reason),
call a service or a selector and render. Every form works as a plain POST; with htmx the editor swaps partials in
place.
"""
