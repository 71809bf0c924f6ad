"""Loads the GMG's record from the data files in data/gmg/, authored from the seeds.

The load is idempotent: each record has a natural key (an agency's acronym, a term's or meeting's key, a plan's
slug, a stream's, output's or activity's position in its parent), a second run finds every row as it is and
saves nothing, and a changed data file updates the rows it names. Rows the files do not name (records the
support team added in the portal) are left alone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import IntegrityError, models, transaction

from archive.models import Document, DocumentVersion
from chairs.models import ChairFunction, ChairTerm
from chairs.services import ANNUAL_REPORT, PRINCIPALS_MEETING
from events.models import ExternalEvent
from groups.models import Agency, Group, GroupCoChair, Membership, TermsOfReference
from meetings.models import Decision, Meeting
from website import richtext, services
from website.models import Article, Publication
from workplans.models import Activity, Output, WorkPlan, WorkPlanVersion, WorkStream
from workplans.timeframes import read_timeframe

DATA_DIR = Path(settings.BASE_DIR) / "data" / "gmg"


class RecordError(Exception):
    """A data file names something that does not exist or holds a value the portal cannot take."""


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    unread_timeframes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def lines(self) -> list[str]:
        names = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return [
            f"{name}: {self.created[name]} created, {self.updated[name]} updated, {self.unchanged[name]} unchanged"
            for name in names
        ]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(f"- {item}" for item in value)
    return str(value).strip()


def _date(value: Any, where: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise RecordError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


def _required_date(value: Any, where: str) -> date:
    day = _date(value, where)
    if day is None:
        raise RecordError(f"{where}: a date is required here")
    return day


class _Loader:
    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.report = LoadReport()
        self.agencies: dict[str, Agency] = {}

    # -- the generic upsert: save only what differs, so a second run writes nothing
    def upsert(self, model: type[models.Model], lookup: dict, values: dict) -> models.Model:
        name = model._meta.verbose_name_plural
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model.objects.create(**lookup, **values)
            self.report.created[name] += 1
            return obj
        changed = [f for f, v in values.items() if getattr(obj, f) != v]
        if changed:
            for f in changed:
                setattr(obj, f, values[f])
            obj.save(update_fields=changed)
            self.report.updated[name] += 1
        else:
            self.report.unchanged[name] += 1
        return obj

    def set_m2m(self, obj: models.Model, field_name: str, targets: list[models.Model]) -> None:
        manager = getattr(obj, field_name)
        if {t.pk for t in manager.all()} != {t.pk for t in targets}:
            manager.set(targets)
            self.report.updated[f"{obj._meta.verbose_name_plural} ({field_name})"] += 1

    def agency(self, acronym: str | None, where: str) -> Agency | None:
        if not acronym:
            return None
        try:
            return self.agencies[acronym]
        except KeyError:
            raise RecordError(f"{where}: agency {acronym!r} is not in agencies.yaml") from None

    def read(self, name: str) -> Any:
        path = self.data_dir / name
        try:
            with path.open(encoding="utf-8") as stream:
                return yaml.safe_load(stream)
        except FileNotFoundError:
            raise RecordError(f"{path} is missing") from None
        except yaml.YAMLError as error:
            raise RecordError(f"{path} is not valid YAML: {error}") from None

    # -- the record, file by file
    def load(self) -> LoadReport:
        self.load_agencies()
        self.load_chair_terms()
        self.load_chair_functions()
        self.load_meetings()
        self.load_groups()
        self.load_events()
        for path in sorted((self.data_dir / "workplans").glob("*.yaml")):
            self.load_workplan(path.relative_to(self.data_dir).as_posix())
        self.load_archive()
        self.load_website()
        return self.report

    def load_agencies(self) -> None:
        for row in self.read("agencies.yaml"):
            where = f"agencies.yaml {row.get('acronym')}"
            agency = self.upsert(
                Agency,
                {"acronym": row["acronym"]},
                {
                    "name": row["name"],
                    "sort_name": row.get("sort_name") or row["name"],
                    "iati_identifier": _text(row.get("iati_identifier")),
                    "note": _text(row.get("note")),
                    "source": _text(row.get("source"))[:300],
                },
            )
            self.agencies[agency.acronym] = agency
            # Membership periods: a list under `memberships`, or one period from `joined` and `left`.
            for period in row.get("memberships") or [{"joined": row.get("joined"), "left": row.get("left")}]:
                self.upsert(
                    Membership,
                    {"agency": agency, "joined": _date(period.get("joined"), where)},
                    {"left": _date(period.get("left"), where), "note": _text(period.get("note"))[:300]},
                )

    def load_chair_terms(self) -> None:
        for row in self.read("chair_terms.yaml"):
            where = f"chair_terms.yaml {row.get('key')}"
            self.upsert(
                ChairTerm,
                {"key": row["key"]},
                {
                    "kind": row["kind"],
                    "agency": self.agency(row["agency"], where),
                    "co_chair": self.agency(row.get("co_chair"), where),
                    "starts_on": _required_date(row.get("starts_on"), f"{where} starts_on"),
                    "ends_on": _required_date(row.get("ends_on"), f"{where} ends_on"),
                    "letter_of_commitment_received_on": _date(row.get("letter_of_commitment_received_on"), where),
                    "workplan_endorsed_on": _date(row.get("workplan_endorsed_on"), where),
                    "annual_report_submitted_on": _date(row.get("annual_report_submitted_on"), where),
                    "note": _text(row.get("note")),
                    "source": _text(row.get("source"))[:300],
                },
            )

    def load_chair_functions(self) -> None:
        for row in self.read("chair_functions.yaml"):
            where = f"chair_functions.yaml {row.get('level')} {row.get('number')}"
            kind = row.get("obligation") or ""
            if kind not in ("", PRINCIPALS_MEETING, ANNUAL_REPORT):
                raise RecordError(f"{where}: obligation {kind!r} is not one the register computes")
            if row.get("level") not in ChairFunction.Level.values:
                raise RecordError(f"{where}: level must be one of {', '.join(ChairFunction.Level.values)}")
            self.upsert(
                ChairFunction,
                {"level": row["level"], "position": row["position"]},
                {
                    "number": str(row["number"]),
                    "text": _text(row.get("text")),
                    "obligation_kind": kind,
                    "source": _text(row.get("source"))[:300],
                },
            )

    def load_meetings(self) -> None:
        self.meetings: dict[str, Meeting] = {}
        rows = self.read("meetings.yaml")
        # Group meetings name their group, so groups are needed first; group rows name decisions only by key.
        self.pending_group_meetings = []
        for row in rows:
            if row.get("group"):
                self.pending_group_meetings.append(row)
                continue
            self.load_meeting(row, group=None)

    def load_meeting(self, row: dict, group: Group | None) -> None:
        where = f"meetings.yaml {row.get('key')}"
        meeting = self.upsert(
            Meeting,
            {"key": row["key"]},
            {
                "title": row["title"],
                "kind": row["kind"],
                "group": group,
                "starts_on": _date(row.get("starts_on"), where),
                "ends_on": _date(row.get("ends_on"), where),
                "date_as_written": _text(row.get("date_as_written"))[:200],
                "date_tentative": bool(row.get("date_tentative")),
                "venue": _text(row.get("venue"))[:300],
                "status": row.get("status") or Meeting.Status.PLANNED,
                "note": _text(row.get("note")),
                "source": _text(row.get("source"))[:300],
            },
        )
        self.meetings[meeting.key] = meeting
        for decision in row.get("decisions") or []:
            self.upsert(
                Decision,
                {"meeting": meeting, "number": str(decision["number"])},
                {
                    "title": _text(decision.get("title"))[:300] or f"Decision {decision['number']}",
                    "text": _text(decision.get("text")),
                    "trial_months": decision.get("trial_months"),
                    "review_on": _date(decision.get("review_on"), where),
                    "source": _text(decision.get("source") or row.get("source"))[:300],
                },
            )

    def decision(self, ref: dict | None, where: str) -> Decision | None:
        if not ref:
            return None
        meeting = self.meetings.get(ref["meeting"])
        if meeting is None:
            raise RecordError(f"{where}: meeting {ref['meeting']!r} is not in meetings.yaml")
        decision = meeting.decisions.filter(number=str(ref["number"])).first()
        if decision is None:
            raise RecordError(f"{where}: meeting {ref['meeting']!r} has no decision {ref['number']!r}")
        return decision

    def load_events(self) -> None:
        for row in self.read("events.yaml"):
            where = f"events.yaml {row.get('key')}"
            self.upsert(
                ExternalEvent,
                {"key": row["key"]},
                {
                    "name": row["name"],
                    "kind": row["kind"],
                    "starts_on": _required_date(row.get("starts_on"), f"{where} starts_on"),
                    "ends_on": _date(row.get("ends_on"), where),
                    "place": _text(row.get("place")),
                    "link": _text(row.get("link")),
                    "note": _text(row.get("note")),
                    "source": _text(row.get("source"))[:300],
                },
            )

    def load_archive(self) -> None:
        """The source documents as archive entries: their text as one version, linked to what they are the source of."""
        for row in self.read("archive.yaml"):
            where = f"archive.yaml {row.get('key')}"
            path = self.data_dir / row["text"]
            try:
                text = path.read_text(encoding="utf-8").strip()
            except FileNotFoundError:
                raise RecordError(f"{where}: {path} is missing") from None
            document = self.upsert(
                Document,
                {"key": row["key"]},
                {
                    "title": row["title"][:300],
                    "kind": row["kind"],
                    "dated": _date(row.get("dated"), where),
                    "date_as_written": _text(row.get("date_as_written"))[:100],
                    "language": row.get("language") or Document.Language.ENGLISH,
                    "note": _text(row.get("note")),
                    "source": _text(row.get("source"))[:300],
                    "text": text,
                },
            )
            # The shipped text is the document's first version; versions uploaded in the portal come after it.
            self.upsert(DocumentVersion, {"document": document, "number": 1}, {"text": text})
            self.set_m2m(
                document, "meetings", [self.record_by_key(Meeting, k, where) for k in row.get("meetings") or []]
            )
            self.set_m2m(
                document, "chair_terms", [self.record_by_key(ChairTerm, k, where) for k in row.get("chair_terms") or []]
            )
            groups = []
            for slug in row.get("groups") or []:
                group = Group.objects.filter(slug=slug).first()
                if group is None:
                    raise RecordError(f"{where}: group {slug!r} is not in groups.yaml")
                groups.append(group)
            self.set_m2m(document, "groups", groups)
            self.set_m2m(document, "decisions", [self.decision(ref, where) for ref in row.get("decisions") or []])

    def load_website(self) -> None:
        """What the public website shows from the first load (website.yaml): each item published once, so that
        one the support team took off stays off; the support team's pages written there, kept up to date."""
        data = self.read("website.yaml")
        moment = data["published_from"]
        if not isinstance(moment, datetime) or moment.tzinfo is None:
            raise RecordError("website.yaml: published_from must be a date and time with its offset")
        models_by_kind = {
            "agency": (Agency, "acronym"),
            "group": (Group, "slug"),
            "workplan": (WorkPlan, "slug"),
            "event": (ExternalEvent, "key"),
            "meeting": (Meeting, "key"),
        }
        for row in data.get("articles", []):
            where = f"website.yaml article {row.get('slug')}"
            body = str(row.get("body", ""))
            values = {
                "kind": row["kind"],
                "title": _text(row["title"]),
                "summary": _text(row["summary"]),
                "dated": _required_date(row["dated"], where),
                "body": body,
                "body_html": richtext.render(body).html,
            }
            article = self.upsert(Article, {"slug": row["slug"]}, values)
            self.publish_once(Publication.Kind.ARTICLE, article, moment)
        for kind, chosen in data.get("publish", {}).items():
            if kind not in models_by_kind:
                raise RecordError(f"website.yaml: {kind!r} is not a kind the loader publishes")
            model, field_name = models_by_kind[kind]
            rows = model.objects.all() if chosen == "all" else model.objects.filter(**{f"{field_name}__in": chosen})
            found = list(rows)
            if chosen != "all" and len(found) != len(chosen):
                missing = set(chosen) - {getattr(obj, field_name) for obj in found}
                raise RecordError(f"website.yaml: no {kind} {', '.join(sorted(missing))} in the record")
            for obj in found:
                self.publish_once(kind, obj, moment)

    def publish_once(self, kind: str, obj: models.Model, moment: datetime) -> None:
        if Publication.objects.filter(kind=kind, object_id=obj.pk).exists():
            self.report.unchanged["publications"] += 1
            return
        services.publish(kind=kind, obj=obj, at=moment)
        self.report.created["publications"] += 1

    def record_by_key(self, model: type[models.Model], key: str, where: str) -> models.Model:
        found = model.objects.filter(key=key).first()
        if found is None:
            raise RecordError(f"{where}: no {model._meta.verbose_name} with the key {key!r}")
        return found

    def load_groups(self) -> None:
        self.groups: dict[str, Group] = {}
        for row in self.read("groups.yaml"):
            where = f"groups.yaml {row.get('slug')}"
            group = self.upsert(
                Group,
                {"slug": row["slug"]},
                {
                    "name": row["name"],
                    "short_name": row.get("short_name") or row["name"][:80],
                    "kind": row["kind"],
                    "status": row.get("status") or Group.Status.ACTIVE,
                    "established_on": _date(row.get("established_on"), where),
                    "establishing_decision": self.decision(row.get("establishing_decision"), where),
                    "chair_rotates_annually": bool(row.get("chair_rotates_annually")),
                    "note": _text(row.get("note")),
                    "source": _text(row.get("source"))[:300],
                },
            )
            self.groups[group.slug] = group
            co_chairs = [self.agency(a, where) for a in row.get("co_chairs") or []]
            current = [(link.agency_id, link.position) for link in group.co_chair_links.order_by("position")]
            wanted = [(agency.pk, position) for position, agency in enumerate(co_chairs, start=1)]
            if current != wanted:
                group.co_chair_links.all().delete()
                GroupCoChair.objects.bulk_create(
                    GroupCoChair(group=group, agency=agency, position=position)
                    for position, agency in enumerate(co_chairs, start=1)
                )
                self.report.updated["groups (co-chairs)"] += 1
            self.set_m2m(group, "participating", [self.agency(a, where) for a in row.get("participating") or []])
            for tor in row.get("terms_of_reference") or []:
                self.upsert(
                    TermsOfReference,
                    {"group": group, "adopted_on": _date(tor["adopted_on"], where)},
                    {
                        "version": _text(tor.get("version"))[:100],
                        "min_meetings_per_year": tor.get("min_meetings_per_year") or 3,
                        "review_after_months": tor.get("review_after_months"),
                        "review_every_months": tor.get("review_every_months"),
                        "minutes_shared_after_each_meeting": tor.get("minutes_shared_after_each_meeting", True),
                        "objectives": _text(tor.get("objectives")),
                        "working_modalities": _text(tor.get("working_modalities")),
                        "source": _text(tor.get("source") or row.get("source"))[:300],
                    },
                )
        for row in self.pending_group_meetings:
            group = self.groups.get(row["group"])
            if group is None:
                raise RecordError(f"meetings.yaml {row['key']}: group {row['group']!r} is not in groups.yaml")
            self.load_meeting(row, group=group)

    def load_workplan(self, name: str) -> None:
        row = self.read(name)
        where = f"{name}"
        group = None
        if row.get("group"):
            group = self.groups.get(row["group"])
            if group is None:
                raise RecordError(f"{where}: group {row['group']!r} is not in groups.yaml")
        chair_term = None
        if row.get("chair_term"):
            chair_term = ChairTerm.objects.filter(key=row["chair_term"]).first()
            if chair_term is None:
                raise RecordError(f"{where}: chair term {row['chair_term']!r} is not in chair_terms.yaml")
        adopted_on = _date(row.get("adopted_on"), where)
        plan = self.upsert(
            WorkPlan,
            {"slug": row["slug"]},
            {
                "title": row["title"],
                "kind": row["kind"],
                "status": WorkPlan.Status.ADOPTED if adopted_on else WorkPlan.Status.DRAFT,
                "starts_on": _required_date(row.get("starts_on"), f"{where} starts_on"),
                "ends_on": _required_date(row.get("ends_on"), f"{where} ends_on"),
                "group": group,
                "chair_term": chair_term,
                "adopted_on": adopted_on,
                "adopting_decision": self.decision(row.get("adopting_decision"), where),
                "summary": _text(row.get("summary")),
                "note": _text(row.get("note")),
                "source": _text(row.get("source"))[:300],
            },
        )
        for version in row.get("versions") or []:
            self.upsert(
                WorkPlanVersion,
                {"workplan": plan, "label": version["label"]},
                {"dated": _date(version.get("dated"), where)},
            )
        for stream_row in row.get("streams") or []:
            self.load_stream(plan, stream_row, f"{where} stream {stream_row.get('position')}")

    def load_stream(self, plan: WorkPlan, row: dict, where: str) -> None:
        lead_group = None
        if row.get("lead_group"):
            lead_group = self.groups.get(row["lead_group"])
            if lead_group is None:
                raise RecordError(f"{where}: group {row['lead_group']!r} is not in groups.yaml")
        stream = self.upsert(
            WorkStream,
            {"workplan": plan, "position": row["position"]},
            {
                "title": row["title"],
                "kind": row.get("kind") or WorkStream.Kind.THEMATIC,
                "lead_group": lead_group,
                "led_by_chair": bool(row.get("led_by_chair")),
                "function": _text(row.get("function")),
                "objectives": _text(row.get("objectives")),
                "expected_results": _text(row.get("expected_results")),
                "key_outputs": _text(row.get("key_outputs")),
            },
        )
        for output_row in row.get("outputs") or []:
            output = self.upsert(
                Output,
                {"stream": stream, "year": output_row.get("year"), "position": output_row["position"]},
                {
                    "number": _text(output_row.get("number"))[:40],
                    "title": _text(output_row.get("title")),
                    "description": _text(output_row.get("description")),
                    "note": _text(output_row.get("note")),
                },
            )
            for activity_row in output_row.get("activities") or []:
                self.load_activity(output, activity_row, f"{where} output {output.position}")

    def load_activity(self, output: Output, row: dict, where: str) -> None:
        where = f"{where} activity {row.get('position')}"
        timeframe_text = _text(row.get("timeframe"))
        reading = read_timeframe(timeframe_text, default_year=output.year) if timeframe_text else None
        if reading is not None and not reading.readable:
            self.report.unread_timeframes.append(f"{where}: {timeframe_text!r} ({reading.note})")
        cost = row.get("estimated_cost")
        activity = self.upsert(
            Activity,
            {"output": output, "position": row["position"]},
            {
                "number": _text(row.get("number"))[:20],
                "description": _text(row.get("description")),
                "timeframe": timeframe_text[:250],
                "starts_on": reading.starts_on if reading else None,
                "ends_on": reading.ends_on if reading else None,
                "timeframe_unread": bool(reading and not reading.readable),
                "timeframe_tentative": bool(reading and reading.tentative),
                "lead": _text(row.get("lead"))[:300],
                "funding_source": _text(row.get("funding_source"))[:500],
                "estimated_cost": Decimal(str(cost)) if cost is not None else None,
                "currency": (row.get("currency") or "")[:3],
                "cost_as_written": _text(row.get("cost_as_written"))[:500],
                "note": _text(row.get("note")),
            },
        )
        self.set_m2m(activity, "lead_agencies", [self.agency(a, where) for a in row.get("lead_agencies") or []])
        self.set_m2m(activity, "partners", [self.agency(a, where) for a in row.get("partners") or []])


def load_gmg_record(data_dir: Path = DATA_DIR) -> LoadReport:
    """Load (or bring up to date) the GMG's record from the data files; all or nothing."""
    from register import stored

    loader = _Loader(data_dir)
    try:
        with transaction.atomic(), stored.paused():
            report = loader.load()
            stored.rebuild()
            return report
    except (KeyError, TypeError) as error:
        raise RecordError(f"a data file lacks a required field or has one of the wrong kind: {error!r}") from None
    except IntegrityError as error:
        raise RecordError(f"a data file breaks a rule of the record: {error}") from None
