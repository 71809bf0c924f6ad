"""Who keeps the public website: the support team (decision 2 of 3 July 2013: "(vi) Host and maintain the GMG
website"). Everyone, signed in or not, reads what is published."""

from groups.access import is_support

KEEPERS_ONLY = "The public website is kept by the support team."


def can_keep_website(person) -> bool:
    return is_support(person)
