DATE_FORMAT = "j F Y"  # 15 June 2015
SHORT_DATE_FORMAT = "j M Y"  # 15 Jun 2015
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j M"  # the first day of a range: 15 Jun - 17 ...
