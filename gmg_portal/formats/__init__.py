"""How each of the portal's languages writes a day (settings.FORMAT_MODULE_PATH), by name, so that a template or
a file says `date:"DATE_FORMAT"` and reads "15 June 2015", "15 juin 2015" or "15 de junio de 2015". Django's own
formats give the rest (decimal sign, grouping, the forms' input formats); a date input's value stays ISO in every
language (kit/inputs.py)."""
