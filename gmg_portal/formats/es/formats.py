DATE_FORMAT = r"j \d\e F \d\e Y"  # 15 de junio de 2015
SHORT_DATE_FORMAT = "j b Y"  # 15 jun 2015
DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i"
SHORT_DATETIME_FORMAT = "j b Y, H:i"
YEAR_MONTH_FORMAT = r"F \d\e Y"
MONTH_DAY_FORMAT = "j b"  # the first day of a range: 15 jun - 17 ...
