"""The gate on every write URL, derived from the URL configuration (as Zulip does for untested URLs).

The walk takes every URL pattern of the portal and POSTs to it as a signed-in support person (with made-up ids:
the method check answers before any lookup). Each pattern that does not answer 405 accepts POST, and must have
an entry in WRITE_URLS below that names, for each of three guarantees, the test that proves it - or, where the
guarantee does not apply, the reason in words:

- concurrent: a concurrent edit is told and loses nothing (a revision check), or why the write cannot lose one
  (append-only, idempotent, a row of one's own);
- double_post: the same form posted twice makes one row (a one-time token), or why a second post changes nothing;
- roles: the role x method matrix (who may, who is refused), e.g. tests/overview/test_permissions_table.py.

A test is named "tests/<path>.py::<test function>"; the gate checks that the function exists. Anything else is
read as a reason (at least a sentence). Read-only views say so with @require_GET (or require_safe) and need no
entry. Adding a write URL: add its entry - the failure message prints the lines to paste.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cache
from itertools import product
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern

ROOT = Path(__file__).resolve().parent.parent

# Django's admin is Django's own: staff only, and the models' checks (kit.inputs.CheckedFields) apply.
NOT_WALKED_NAMESPACES = {"admin"}


@dataclass(frozen=True)
class Write:
    concurrent: str
    double_post: str
    roles: str


def write(*, concurrent: str, double_post: str, roles: str) -> Write:
    return Write(concurrent=concurrent, double_post=double_post, roles=roles)


MEETING_ROLES = "tests/overview/test_permissions_table.py::test_each_role_may_do_what_it_should_and_nothing_more"
EVENT_ROLES = "tests/events/test_permissions.py::test_each_role_may_do_what_it_should_and_nothing_more"
WEBSITE_ROLES = "tests/website/test_permissions.py::test_each_role_may_do_what_it_should_and_nothing_more"
ARCHIVE_ROLES = "tests/archive/test_permissions.py::test_each_role_may_do_what_it_should_and_nothing_more"
WORKPLAN_ROLES = "tests/workplans/test_permissions.py::test_each_role_may_do_what_it_should_and_nothing_more"
EDIT_ONCE = (
    "An edit changes one existing row: a second post of the same form carries the revision the first one raised, "
    "so it is told of a conflict instead of saving twice."
)
REMOVE_ONCE = "A removal: the second post finds no row (404) and removes nothing more."
# The work plan editor's edits, moves and removals, proved by posting them.
MOVE_CONCURRENT = (
    "tests/workplans/test_editor_writes.py::test_two_people_moving_at_once_keep_every_row_and_every_position_unique"
)
MOVE_TWICE = (
    "tests/workplans/test_editor_writes.py::test_a_move_posted_twice_makes_no_row_and_keeps_every_position_unique"
)
# Streams and outputs move through the same service as activities; two people moving at once is posted with
# activities (MOVE_CONCURRENT).
MOVE_CONCURRENT_AS_ACTIVITIES = (
    "Moved by the same service as an activity, whose concurrent moves are posted in "
    "tests/workplans/test_editor_writes.py (test_two_people_moving_at_once_keep_every_row_and_every_position_unique)."
)
REMOVE_CONCURRENT = (
    "tests/workplans/test_editor_writes.py::test_an_edit_posted_after_a_removal_is_refused_and_brings_nothing_back"
)
REMOVE_TWICE = (
    "tests/workplans/test_editor_writes.py::test_a_removal_posted_twice_removes_one_row_and_the_second_finds_none"
)
OWN_ROW = "Writes only the signed-in person's own row (their settings or notices): nobody else edits it."
NEW_ROWS_ONLY = "Creates a new row and writes no existing one, so there is no one else's edit to lose."

WRITE_URLS: dict[str, Write] = {
    # -- sign-in ------------------------------------------------------------------------------------------------
    "login": write(
        concurrent="Signs in: writes the session and the last-login time only.",
        double_post="Signing in twice leaves one session; no record row is created.",
        roles="Open to everyone by design: the credentials are the check.",
    ),
    "logout": write(
        concurrent="Signs out: ends the person's own session.",
        double_post="Signing out twice ends the same session; nothing is created.",
        roles="Anyone may sign themselves out.",
    ),
    "two_factor": write(
        concurrent=OWN_ROW,
        double_post="tests/accounts/test_two_factor.py::test_the_same_set_up_posted_twice_makes_one_device",
        roles="tests/accounts/test_two_factor.py::test_the_second_step_is_the_support_teams_and_others_are_told_so",
    ),
    "two_factor_verify": write(
        concurrent="Marks the person's own session as having given its code; it writes no record.",
        double_post="A code is used once (django-otp keeps the last step used): a second post of it is refused.",
        roles="tests/accounts/test_two_factor.py::test_signed_out_people_are_sent_to_sign_in",
    ),
    "password_reset": write(
        concurrent="Sends a mail with a one-time link; it writes no record.",
        double_post="tests/accounts/test_signin.py::test_password_reset_requests_are_throttled",
        roles="Open to everyone by design: the mail goes only to the account's own address.",
    ),
    "password_reset_confirm": write(
        concurrent="Sets the person's own password through a one-time link (Django's token).",
        double_post="The link's token is spent by the first use: a second post is refused by Django's check.",
        roles="tests/accounts/test_signin.py::test_a_forgotten_password_is_reset_by_e_mail",
    ),
    "api_key": write(
        concurrent=OWN_ROW,
        double_post="tests/api/test_keys.py::test_the_form_posted_twice_makes_one_key",
        roles="tests/api/test_keys.py::test_revoking_touches_only_ones_own_key",
    ),
    # -- the API --------------------------------------------------------------------------------------------------
    "api:activity-updates": write(
        concurrent="Files a new update row, as the update form does; it edits none.",
        double_post="tests/api/test_writes.py::test_the_same_token_twice_files_one_update",
        roles="tests/api/test_permissions_match_pages.py::test_each_role_files_updates_through_the_api_where_it_may_on_the_page",
    ),
    # -- meetings -----------------------------------------------------------------------------------------------
    "meetings:meeting_create": write(
        concurrent=NEW_ROWS_ONLY,
        double_post="tests/meetings/test_form_writes.py::test_a_new_meeting_posted_twice_is_one_meeting",
        roles=MEETING_ROLES,
    ),
    "meetings:meeting_edit": write(
        concurrent="tests/overview/test_pages.py::test_the_second_of_two_people_editing_a_meeting_is_told_and_loses_nothing",
        double_post=EDIT_ONCE,
        roles=MEETING_ROLES,
    ),
    "meetings:minutes_edit": write(
        concurrent="tests/meetings/test_form_writes.py::test_two_people_saving_the_minutes_the_second_is_told_and_the_first_minutes_stay",
        double_post=EDIT_ONCE,
        roles=MEETING_ROLES,
    ),
    "meetings:agenda_item_create": write(
        concurrent=NEW_ROWS_ONLY,
        double_post="tests/meetings/test_form_writes.py::test_a_new_agenda_item_posted_twice_is_one_item",
        roles=MEETING_ROLES,
    ),
    "meetings:agenda_item_edit": write(
        concurrent="tests/meetings/test_form_writes.py::test_two_people_editing_one_agenda_item_the_second_is_told",
        double_post="tests/meetings/test_agenda_item_edit.py::test_an_agenda_item_edit_posted_twice_saves_once_and_the_second_post_is_told",
        roles="tests/meetings/test_agenda_item_edit.py::test_each_role_may_edit_an_agenda_item_where_it_should_and_nothing_more",
    ),
    "meetings:agenda_item_delete": write(
        concurrent="A removal: an edit posted after it finds no item (404) and says so; nothing is half-saved.",
        double_post=REMOVE_ONCE,
        roles=MEETING_ROLES,
    ),
    "meetings:action_point_create": write(
        concurrent=NEW_ROWS_ONLY,
        double_post="tests/meetings/test_form_writes.py::test_a_new_action_point_posted_twice_is_one_point",
        roles=MEETING_ROLES,
    ),
    "meetings:action_point_edit": write(
        concurrent="tests/meetings/test_form_writes.py::test_two_people_editing_one_action_point_the_second_is_told",
        double_post=EDIT_ONCE,
        roles=MEETING_ROLES,
    ),
    "meetings:action_point_delete": write(
        concurrent="A removal: an edit posted after it finds no point (404) and says so; nothing is half-saved.",
        double_post=REMOVE_ONCE,
        roles=MEETING_ROLES,
    ),
    # -- reminders, notices, calendar feeds ---------------------------------------------------------------------
    "reminders:subscribe": write(
        concurrent=OWN_ROW,
        double_post="Regenerating twice leaves one live address (a unique constraint per person); revoking twice "
        "revokes nothing more.",
        roles="Only a signed-in person reaches it, for their own address (login_required; the feed page's test, "
        "tests/reminders/test_calendar_feeds.py, opens it signed out); no role writes another's.",
    ),
    "reminders:notice_read": write(
        concurrent=OWN_ROW,
        double_post="Marking read is idempotent: the second post finds it read already.",
        roles="tests/reminders/test_notices.py::test_marking_read_is_a_post_on_ones_own_notice",
    ),
    "reminders:notice_read_all": write(
        concurrent=OWN_ROW,
        double_post="Marking all read is idempotent.",
        roles="tests/reminders/test_notices.py::test_mark_all_read_touches_only_ones_own",
    ),
    "groups:my_reminders": write(
        concurrent=OWN_ROW,
        double_post="Saves one choice on the person's own row; saving it twice is the same choice.",
        roles="tests/groups/test_my_reminders.py::test_a_person_chooses_a_weekly_digest_for_themselves_only",
    ),
    # -- the record kept by the support team: agencies and people --------------------------------------------
    "groups:agency_create": write(
        concurrent=NEW_ROWS_ONLY,
        double_post="tests/groups/test_keeping_agencies.py::test_an_agency_form_posted_twice_adds_one_agency",
        roles="tests/groups/test_keeping_agencies.py::test_only_support_staff_keep_agencies",
    ),
    "groups:agency_edit": write(
        concurrent="tests/groups/test_keeping_agencies.py::test_two_people_editing_an_agency_do_not_overwrite_each_other_unseen",
        double_post=EDIT_ONCE,
        roles="tests/groups/test_keeping_agencies.py::test_only_support_staff_keep_agencies",
    ),
    "groups:membership_create": write(
        concurrent=NEW_ROWS_ONLY,
        double_post="tests/groups/test_keeping_agencies.py::test_a_membership_period_that_overlaps_another_is_refused_in_plain_words",
        roles="tests/groups/test_keeping_agencies.py::test_only_support_staff_keep_agencies",
    ),
    "groups:membership_edit": write(
        concurrent="tests/groups/test_keeping_agencies.py::test_two_people_changing_one_membership_period_do_not_overwrite_each_other",
        double_post=EDIT_ONCE,
        roles="tests/groups/test_keeping_agencies.py::test_only_support_staff_keep_agencies",
    ),
    "groups:person_invite": write(
        concurrent=NEW_ROWS_ONLY,
        double_post="tests/groups/test_keeping_people.py::test_an_invitation_posted_twice_invites_once",
        roles="tests/groups/test_keeping_people.py::test_only_support_staff_keep_people",
    ),
    "groups:person_edit": write(
        concurrent="tests/groups/test_keeping_people.py::test_two_people_editing_a_person_do_not_overwrite_each_other_unseen",
        double_post=EDIT_ONCE,
        roles="tests/groups/test_keeping_people.py::test_only_support_staff_keep_people",
    ),
    "groups:absence_add": write(
        concurrent="Append-only: each form adds one absence and changes no existing row.",
        double_post="The form's one-time token: a second post of the same form finds the first absence and adds none.",
        roles="tests/groups/test_keeping_people.py::test_only_support_staff_keep_people",
    ),
    "groups:person_deactivate": write(
        concurrent="tests/groups/test_keeping_people.py::test_deactivating_hands_the_pending_work_to_a_colleague_in_one_step",
        double_post="tests/groups/test_keeping_people.py::test_deactivating_hands_the_pending_work_to_a_colleague_in_one_step",
        roles="tests/groups/test_keeping_people.py::test_only_support_staff_keep_people",
    ),
    # -- the record kept by the support team and a group's co-chairs: a group's terms of reference -------------
    "groups:tor_add": write(
        concurrent=NEW_ROWS_ONLY,
        double_post="tests/groups/test_keeping_groups.py::test_a_version_form_posted_twice_adds_one_version",
        roles="tests/groups/test_keeping_groups.py::test_only_support_staff_and_the_groups_co_chairs_add_a_version",
    ),
    "groups:group_edit": write(
        concurrent="tests/groups/test_keeping_groups.py::test_two_people_editing_a_group_do_not_overwrite_each_other_unseen",
        double_post=EDIT_ONCE,
        roles="tests/groups/test_keeping_groups.py::test_only_support_staff_and_the_groups_co_chairs_change_its_co_chairs_status_and_agencies",
    ),
    "groups:co_chairs_change": write(
        concurrent="tests/groups/test_keeping_groups.py::test_two_people_changing_the_co_chairs_at_once_do_not_overwrite_each_other_unseen",
        double_post=EDIT_ONCE,
        roles="tests/groups/test_keeping_groups.py::test_only_support_staff_and_the_groups_co_chairs_change_its_co_chairs_status_and_agencies",
    ),
    "meetings:decision_create": write(
        concurrent=NEW_ROWS_ONLY,
        double_post="tests/meetings/test_keeping_decisions.py::test_a_decision_is_recorded_once_with_what_it_establishes",
        roles="tests/meetings/test_keeping_decisions.py::test_only_support_staff_record_decisions",
    ),
    "meetings:decision_edit": write(
        concurrent="tests/meetings/test_keeping_decisions.py::test_two_people_editing_a_decision_do_not_overwrite_each_other_unseen",
        double_post=EDIT_ONCE,
        roles="tests/meetings/test_keeping_decisions.py::test_only_support_staff_record_decisions",
    ),
    "meetings:decision_review": write(
        concurrent="A review adds a decision of its own; it sets the first one's review day only while it is empty.",
        double_post="tests/meetings/test_keeping_decisions.py::test_a_review_is_a_decision_of_its_own_that_settles_the_first",
        roles="tests/meetings/test_keeping_decisions.py::test_only_support_staff_record_decisions",
    ),
    # -- the calendar of events: external events and input requests -------------------------------------------
    "events:event_create": write(
        concurrent=NEW_ROWS_ONLY,
        double_post="tests/events/test_input_requests.py::test_a_new_event_posted_twice_is_one_event",
        roles=EVENT_ROLES,
    ),
    "events:event_edit": write(
        concurrent="tests/events/test_input_requests.py::test_two_people_editing_an_event_the_second_is_told_and_loses_nothing",
        double_post=EDIT_ONCE,
        roles=EVENT_ROLES,
    ),
    "events:request_create": write(
        concurrent=NEW_ROWS_ONLY,
        double_post="tests/events/test_input_requests.py::test_a_request_posted_twice_asks_once",
        roles=EVENT_ROLES,
    ),
    "events:request_edit": write(
        concurrent="tests/events/test_input_requests.py::test_two_people_editing_a_request_the_second_is_told_and_loses_nothing",
        double_post=EDIT_ONCE,
        roles=EVENT_ROLES,
    ),
    "events:contribution_create": write(
        concurrent="Files a new contribution row for the agency; it edits none (answers are kept, never replaced).",
        double_post="tests/events/test_input_requests.py::test_the_same_answer_posted_twice_is_one_contribution",
        roles=EVENT_ROLES,
    ),
    # -- the archive of documents -------------------------------------------------------------------------------
    "desk:article_new": write(
        concurrent=NEW_ROWS_ONLY,
        double_post="tests/website/test_publishing.py::test_a_new_article_posted_twice_is_one_article",
        roles=WEBSITE_ROLES,
    ),
    "desk:article_desk": write(
        concurrent="tests/website/test_publishing.py::test_two_people_editing_an_article_the_second_is_told_and_loses_nothing",
        double_post=EDIT_ONCE,
        roles=WEBSITE_ROLES,
    ),
    "desk:item": write(
        concurrent=(
            "An item has one publication row, written under a lock (a second first publication at the same moment "
            "updates the row the first made); the later publication wins, and each is in the item's history."
        ),
        double_post="tests/website/test_publishing.py::test_the_same_publication_posted_twice_writes_one_entry",
        roles=WEBSITE_ROLES,
    ),
    "desk:take_off": write(
        concurrent="Sets the publication's moment to none under a lock; a second take-off finds it off and says so.",
        double_post="tests/website/test_publishing.py::test_taking_off_twice_takes_off_once",
        roles="tests/website/test_permissions.py::test_taking_off_is_the_support_teams_alone",
    ),
    "archive:document_create": write(
        concurrent=NEW_ROWS_ONLY,
        double_post="tests/archive/test_archive.py::test_a_new_document_posted_twice_is_one_document",
        roles=ARCHIVE_ROLES,
    ),
    "archive:document_edit": write(
        concurrent="tests/archive/test_archive.py::test_two_people_editing_a_document_the_second_is_told_and_loses_nothing",
        double_post=EDIT_ONCE,
        roles=ARCHIVE_ROLES,
    ),
    "archive:version_create": write(
        concurrent="Adds a version numbered after the last under a lock on the document; the old versions are kept.",
        double_post="tests/archive/test_archive.py::test_the_same_version_posted_twice_is_one_version",
        roles=ARCHIVE_ROLES,
    ),
    # -- chairs -------------------------------------------------------------------------------------------------
    "chairs:rotation": write(
        concurrent="tests/chairs/test_pages.py::test_a_page_older_than_the_rotation_changes_nothing_and_says_so",
        double_post="Proved at the service the page posts to, not through the page: a second confirmation of the "
        "same proposal is refused, one plan (tests/chairs/test_pages.py, "
        "test_two_confirmations_of_the_same_proposal_make_one_plan).",
        roles="tests/chairs/test_pages.py::test_only_the_support_team_may_confirm_the_rotation",
    ),
    "chairs:term_record": write(
        concurrent="tests/chairs/test_record_writes.py::test_a_letter_date_saved_by_one_is_not_wiped_by_the_others_endorsement_date",
        double_post=EDIT_ONCE,
        roles="tests/chairs/test_pages.py::test_another_agencys_focal_point_may_not_keep_the_chairs_record",
    ),
    "chairs:report_edit": write(
        concurrent="tests/reports/test_annual_report.py::test_two_editors_from_the_same_version_the_second_is_told_and_keeps_what_they_typed",
        double_post="tests/reports/test_annual_report.py::test_a_form_posted_twice_makes_one_version",
        roles="tests/reports/test_report_permissions.py::test_each_role_may_do_what_it_should_and_nothing_more",
    ),
    "chairs:report_submit": write(
        concurrent="Marks the report submitted once: a report already marked keeps its first date and says so.",
        double_post="A second post finds the report marked submitted and changes nothing (it says so).",
        roles="tests/reports/test_report_permissions.py::test_each_role_may_do_what_it_should_and_nothing_more",
    ),
    "chairs:function_tick": write(
        concurrent="A tick is a new row, one per term and function: a second tick of it is told of the first.",
        double_post="tests/chairs/test_functions_of_the_chair.py::test_a_form_posted_twice_ticks_once_and_a_second_tick_is_told_of_the_first",
        roles="tests/chairs/test_functions_of_the_chair.py::test_each_role_may_do_what_it_should_and_nothing_more",
    ),
    # -- work plans ---------------------------------------------------------------------------------------------
    "workplans:workplan_create": write(
        concurrent=NEW_ROWS_ONLY,
        double_post="tests/workplans/test_form_writes.py::test_a_new_work_plan_posted_twice_is_one_plan",
        roles=WORKPLAN_ROLES,
    ),
    "workplans:workplan_edit": write(
        concurrent="tests/workplans/test_workplan_edit.py::test_two_editors_of_a_plans_details_the_second_is_told_and_loses_nothing",
        double_post="tests/workplans/test_workplan_edit.py::test_a_plans_details_posted_twice_save_once_and_the_second_post_is_told",
        roles="tests/workplans/test_workplan_edit.py::test_each_role_may_edit_a_plans_details_where_it_should_and_nothing_more",
    ),
    "workplans:workplan_copy": write(
        concurrent="Creates a new plan from the source, which it only reads.",
        double_post="tests/workplans/test_form_writes.py::test_a_copy_posted_twice_makes_one_new_plan",
        roles="tests/workplans/test_form_writes.py::test_only_the_support_team_copies_a_plan",
    ),
    "workplans:stream_add": write(
        concurrent=NEW_ROWS_ONLY,
        double_post="tests/workplans/test_form_writes.py::test_a_new_stream_and_output_posted_twice_are_one_each",
        roles="tests/workplans/test_form_writes.py::test_only_the_plans_editors_add_edit_and_remove_streams_and_outputs",
    ),
    "workplans:stream_edit": write(
        concurrent="tests/workplans/test_form_writes.py::test_two_editors_of_a_stream_or_an_output_are_told",
        double_post="tests/workplans/test_editor_writes.py::test_an_edit_posted_twice_saves_once_and_the_second_post_is_told",
        roles="tests/workplans/test_form_writes.py::test_only_the_plans_editors_add_edit_and_remove_streams_and_outputs",
    ),
    "workplans:stream_move": write(
        concurrent=MOVE_CONCURRENT_AS_ACTIVITIES, double_post=MOVE_TWICE, roles=WORKPLAN_ROLES
    ),
    "workplans:stream_remove": write(
        concurrent=REMOVE_CONCURRENT,
        double_post=REMOVE_TWICE,
        roles="tests/workplans/test_form_writes.py::test_only_the_plans_editors_add_edit_and_remove_streams_and_outputs",
    ),
    "workplans:output_add": write(
        concurrent=NEW_ROWS_ONLY,
        double_post="tests/workplans/test_form_writes.py::test_a_new_stream_and_output_posted_twice_are_one_each",
        roles="tests/workplans/test_form_writes.py::test_only_the_plans_editors_add_edit_and_remove_streams_and_outputs",
    ),
    "workplans:output_edit": write(
        concurrent="tests/workplans/test_form_writes.py::test_two_editors_of_a_stream_or_an_output_are_told",
        double_post="tests/workplans/test_editor_writes.py::test_an_edit_posted_twice_saves_once_and_the_second_post_is_told",
        roles="tests/workplans/test_form_writes.py::test_only_the_plans_editors_add_edit_and_remove_streams_and_outputs",
    ),
    "workplans:output_move": write(
        concurrent=MOVE_CONCURRENT_AS_ACTIVITIES,
        double_post=MOVE_TWICE,
        roles="tests/workplans/test_form_writes.py::test_only_the_plans_editors_add_edit_and_remove_streams_and_outputs",
    ),
    "workplans:output_remove": write(
        concurrent=REMOVE_CONCURRENT,
        double_post=REMOVE_TWICE,
        roles="tests/workplans/test_form_writes.py::test_only_the_plans_editors_add_edit_and_remove_streams_and_outputs",
    ),
    "workplans:output_renumber": write(
        concurrent="Proved at the service the button posts to, not through the page: an edit begun before a "
        "renumbering is told and keeps its input (tests/workplans/test_editing_friction.py).",
        double_post="Proved at the service the button posts to, not through the page: two renumberings at once give "
        "one numbering (tests/workplans/test_editing_friction.py).",
        roles=WORKPLAN_ROLES,
    ),
    "workplans:workplan_import": write(
        concurrent="Uploads a workbook for a preview: it writes the import to review, never the plan itself.",
        double_post="Each upload is its own preview; nothing is applied until confirmed (workplan_import_apply).",
        roles="tests/workplans/test_spreadsheets.py::test_only_the_plans_editors_export_and_import",
    ),
    "workplans:workplan_import_apply": write(
        concurrent="tests/workplans/test_spreadsheets.py::test_a_confirmation_after_a_portal_edit_applies_nothing",
        double_post="tests/workplans/test_spreadsheets.py::test_the_editor_exports_previews_and_confirms_once",
        roles="tests/workplans/test_spreadsheets.py::test_only_the_plans_editors_export_and_import",
    ),
    "workplans:activity_add": write(
        concurrent=NEW_ROWS_ONLY,
        double_post="tests/workplans/test_lost_updates.py::test_an_activity_form_posted_twice_creates_one_activity",
        roles="tests/workplans/test_form_writes.py::test_only_the_plans_editors_add_edit_and_remove_streams_and_outputs",
    ),
    "workplans:activity_edit": write(
        concurrent="tests/workplans/test_lost_updates.py::test_the_second_editor_is_told_who_saved_and_keeps_their_own_input",
        double_post="tests/workplans/test_editor_writes.py::test_an_edit_posted_twice_saves_once_and_the_second_post_is_told",
        roles=WORKPLAN_ROLES,
    ),
    "workplans:activity_move": write(concurrent=MOVE_CONCURRENT, double_post=MOVE_TWICE, roles=WORKPLAN_ROLES),
    "workplans:activity_remove": write(concurrent=REMOVE_CONCURRENT, double_post=REMOVE_TWICE, roles=WORKPLAN_ROLES),
    "workplans:activity_report": write(
        concurrent="Files a new update row; the activity's status follows through the conditional update of the "
        "status task (tests/workplans/test_lost_updates.py).",
        double_post="tests/workplans/test_lost_updates.py::test_an_update_posted_twice_creates_one_update",
        roles=WORKPLAN_ROLES,
    ),
    "workplans:update_resubmit": write(
        concurrent="tests/workplans/test_editor_writes.py::test_a_resubmission_sent_after_the_update_was_answered_and_accepted_is_told_and_changes_nothing",
        double_post="tests/workplans/test_editor_writes.py::test_a_resubmission_posted_twice_answers_once",
        roles="tests/workplans/test_progress.py::test_a_returned_update_shows_the_comment_and_its_agency_resubmits_it",
    ),
    "workplans:update_review": write(
        concurrent="Proved at the service the review form posts to, not through the page: an update is reviewed once "
        "(tests/workplans/test_progress.py, test_an_update_is_reviewed_once).",
        double_post="Proved at the service the review form posts to, not through the page: an update is reviewed once "
        "(tests/workplans/test_progress.py, test_an_update_is_reviewed_once).",
        roles="tests/workplans/test_form_writes.py::test_only_the_support_team_reviews_an_update",
    ),
    "workplans:version_list": write(
        concurrent="Publishing adds a version row (a snapshot); it edits none.",
        double_post="tests/workplans/test_lost_updates.py::test_a_version_posted_twice_is_published_once",
        roles=WORKPLAN_ROLES,
    ),
    "workplans:round_create": write(
        concurrent=NEW_ROWS_ONLY,
        double_post="tests/workplans/test_form_writes.py::test_a_new_reporting_round_posted_twice_is_one_round",
        roles=WORKPLAN_ROLES,
    ),
}


# -- the walk ----------------------------------------------------------------------------------------------------

_CONVERTER_SAMPLES = {"int": "999999991", "slug": "no-such-page", "str": "no-such-page", "path": "no/such/page"}


def _route_to_path(route: str) -> str:
    def sample(match: re.Match) -> str:
        converter = match.group(1) or "str"
        return _CONVERTER_SAMPLES.get(converter, "no-such-page")

    return "/" + re.sub(r"<(?:(\w+):)?\w+>", sample, route)


# An address no page has: a pattern that matches it answers for every address under its prefix (tests/api).
CATCH_ALL_PROBE = "no/such/address/at/all/"


def url_patterns(patterns=None, prefix: str = "", namespace: str = ""):
    """(name, path with made-up ids) of every URL pattern, namespaces included (the admin's aside)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace
            if inner in NOT_WALKED_NAMESPACES:
                continue
            inside = f"{namespace}{inner}:" if inner else namespace
            yield from url_patterns(entry.url_patterns, prefix + str(entry.pattern), inside)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            if "drf_format_suffix" in route:
                continue  # the API router's `.json` twin of an address the walk takes plainly
            name = f"{namespace}{entry.name}" if entry.name else route
            if isinstance(entry.pattern, RegexPattern) and entry.pattern.regex.fullmatch(CATCH_ALL_PROBE):
                continue  # a catch-all (the API's JSON 404 for what names no operation): no address of its own
            if isinstance(entry.pattern, RegexPattern):
                yield name, _reverse_with_samples(name, entry.pattern.regex.groupindex)
            else:
                yield name, _route_to_path(route)


def _reverse_with_samples(name: str, groups) -> str:
    """A regular-expression pattern's address (e.g. the API router's), with made-up values that fit it."""
    # The router's `.json` variants share their name with the plain address: the walk takes the plain one.
    names = [group for group in groups if group != "format"]
    for values in product(["999999991", "no-such-page"], repeat=len(names)):
        try:
            return reverse(name, kwargs=dict(zip(names, values, strict=True)))
        except NoReverseMatch:
            continue
    raise AssertionError(f"The walk cannot build an address for {name}: give it a sample in tests/test_write_urls.py")


@pytest.fixture
def walker(client, db):
    from groups.models import Person
    from tests.factories import make_person

    person = make_person("url-walker", role=Person.Role.SUPPORT, is_staff=True, is_superuser=True)

    def post(path: str) -> int:
        client.force_login(person)  # signing out is one of the walked URLs
        return client.post(path, {}).status_code

    return post


def write_urls(post) -> dict[str, str]:
    """Every walked URL that accepts POST (answers anything but 405), by name."""
    return {name: path for name, path in url_patterns() if post(path) != 405}


def _entry_template(name: str) -> str:
    return (
        f'    "{name}": write(\n'
        '        concurrent="tests/<app>/test_<concern>.py::test_<two people saving ... are told>"  # or a reason,\n'
        '        double_post="tests/<app>/test_<concern>.py::test_<posted twice makes one row>"  # or a reason,\n'
        '        roles="tests/<app>/test_permissions....py::test_<each role ...>",\n'
        "    ),"
    )


def missing_entries(found: dict[str, str]) -> list[str]:
    """The walked URLs that accept POST and have no entry in WRITE_URLS."""
    return sorted(set(found) - set(WRITE_URLS))


def test_every_url_that_accepts_post_has_an_entry_in_the_table_of_write_tests(walker):
    found = write_urls(walker)
    missing = missing_entries(found)
    assert not missing, (
        "These URLs accept POST but have no entry in WRITE_URLS (tests/test_write_urls.py). Either make the view "
        "read-only (@require_GET) or add, with the tests that prove each guarantee:\n\n"
        + "\n".join(f"{_entry_template(name)}  # POST {found[name]}" for name in missing)
    )


def test_every_entry_of_the_table_is_a_url_that_accepts_post(walker):
    found = write_urls(walker)
    stale = sorted(set(WRITE_URLS) - set(found))
    assert not stale, (
        f"WRITE_URLS (tests/test_write_urls.py) names URLs that no longer accept POST (or no longer exist): {stale}. "
        "Remove their entries."
    )


@cache
def _test_functions(path: str) -> frozenset[str]:
    tree = ast.parse((ROOT / path).read_text())
    names = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}
    return frozenset(name for name in names if name.startswith("test_"))


def _problem(value: str) -> str | None:
    if value.startswith("tests/") and "::" in value:
        path, function = value.split("::", 1)
        if not (ROOT / path).is_file():
            return f"no test file {path}"
        if function not in _test_functions(path):
            return f"no test function {function} in {path}"
        return None
    if len(value.split()) < 4:
        return f"“{value}” is neither a test (tests/<path>.py::test_<name>) nor a reason in words"
    return None


@pytest.mark.parametrize("name", sorted(WRITE_URLS))
def test_each_entry_names_tests_that_exist_or_gives_its_reason(name):
    entry = WRITE_URLS[name]
    problems = {
        guarantee: problem
        for guarantee in ("concurrent", "double_post", "roles")
        if (problem := _problem(getattr(entry, guarantee)))
    }
    assert not problems, f"WRITE_URLS[{name!r}] in tests/test_write_urls.py: {problems}"


def test_the_walk_finds_the_write_urls_and_skips_the_read_only_ones(walker):
    found = write_urls(walker)
    assert "meetings:minutes_edit" in found and "workplans:round_create" in found
    assert "dashboard" not in found and "meetings:meeting_detail" not in found


def test_a_new_write_url_without_an_entry_fails_the_gate_and_a_new_page_does_not(walker, settings):
    settings.ROOT_URLCONF = "tests.write_url_probe"  # the portal's URLs and two new ones
    found = write_urls(walker)
    assert missing_entries(found) == ["probe_new_write"]
    assert found["probe_new_write"] == "/probe/new-write/999999991/"
    assert "probe_new_page" not in found


# -- the named tests really post to their URL --------------------------------------------------------------------


def _named_tests() -> dict[str, set[str]]:
    """Each test the table names, with the URLs it is named for."""
    named: dict[str, set[str]] = {}
    for name, entry in WRITE_URLS.items():
        for guarantee in ("concurrent", "double_post", "roles"):
            value = getattr(entry, guarantee)
            if value.startswith("tests/") and "::" in value:
                named.setdefault(value, set()).add(name)
    return named


def _run_apart(tests: list[str]) -> dict[str, list]:
    """Run `tests` in a session of their own (on a test database of their own) and return what they requested."""
    import json
    import os
    import subprocess
    import sys
    import tempfile

    from django.conf import settings

    database = settings.DATABASES["default"]
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{database['NAME'].removeprefix('test_')}_urls"
    with tempfile.NamedTemporaryFile(suffix=".json") as record:
        env = {**os.environ, "GMG_URL_RECORD": record.name, "DATABASE_URL": url}
        subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "--create-db", *tests],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=1800,
        )
        return json.loads(Path(record.name).read_text() or "{}")


def unexercised(named: dict[str, set[str]], registry: dict | None = None) -> list[str]:
    """The (test, URL) pairs of the table where the test ran and did not POST to the URL, or did not run."""
    from tests.url_record import requested

    problems = []
    for test, names in sorted(named.items()):
        found = requested(test, registry)
        if found is None:
            problems.append(f"{test} did not run")
            continue
        for name in sorted(names):
            if ("POST", name) not in found:
                problems.append(f"{test} is named for {name} but never posts to it")
    return problems


def test_each_named_test_posts_to_the_url_it_is_named_for():
    """Runs after every other test of the session (tests/url_record.py); the named tests that did not run in it
    (the gate run alone, or with a few files) are run in a session of their own first."""
    from tests.url_record import REQUESTED, requested

    named = _named_tests()
    registry = dict(REQUESTED)
    not_run = sorted(test for test in named if requested(test) is None)
    if not_run:
        registry.update(_run_apart(not_run))
    problems = unexercised(named, registry)
    assert not problems, "WRITE_URLS (tests/test_write_urls.py) names tests that do not exercise their URL:\n" + (
        "\n".join(problems)
    )


def test_a_test_named_for_a_url_it_never_posts_to_fails_the_gate():
    named = {"tests/x.py::test_edits_the_item": {"meetings:agenda_item_edit"}}
    edits = {"tests/x.py::test_edits_the_item[support]": [["GET", "meetings:agenda_item_edit"]]}
    assert unexercised(named, edits) == [
        "tests/x.py::test_edits_the_item is named for meetings:agenda_item_edit but never posts to it"
    ]
    edits["tests/x.py::test_edits_the_item[chair]"] = [["POST", "meetings:agenda_item_edit"]]
    assert unexercised(named, edits) == []
    assert unexercised(named, {}) == ["tests/x.py::test_edits_the_item did not run"]
