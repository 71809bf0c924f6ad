DATE_FORMAT = "j F Y"  # 15 juin 2015
SHORT_DATE_FORMAT = "j N Y"  # 15 juil. 2015 (Django's "M" would write "Jui" for both juin and juillet)
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j N Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j N"  # the first day of a range: 15 juil. - 17 ...
