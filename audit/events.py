"""One small function per kind of audit event. Each appends a row in the
caller's transaction: if the change it records rolls back, so does the row."""

from __future__ import annotations

from django.db import connection, transaction

from audit.models import GENESIS, AuditEvent, Kind
from core.context import client_ip, current_origin

# The detail of a "viewed personal data" row: the complainant's id after this prefix.
PERSON_REFERENCE = "complainant:"

# Any constant shared by every writer: one chain, one writer at a time.
_CHAIN_LOCK = 80_651_427


def _append(
    kind: str, *, actor=None, actor_name: str = "", complaint=None, action: str = "", detail: str = "", before=None,
    after=None, request=None, address: str | None = None,
) -> AuditEvent:  # fmt: skip
    origin = current_origin()
    ip, agent = origin.ip, origin.user_agent
    if request is not None:
        ip, agent = client_ip(request), request.headers.get("user-agent", "")[:300]
    if address:
        ip = address
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Writers take turns until their transaction ends, so each row's
            # predecessor is the row committed before it: the chain never forks.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
        previous = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS
        event = AuditEvent(
            kind=kind,
            actor_id=getattr(actor, "pk", None),
            actor_name=(actor.get_full_name() if actor is not None else actor_name)[:250],
            actor_national_id=getattr(actor, "national_id", "") or "",
            ip=ip,
            user_agent=agent,
            complaint_id=getattr(complaint, "pk", None),
            case_number=complaint.number if complaint is not None else "",
            action=action,
            detail=detail[:500],
            before=before or {},
            after=after or {},
            prev_hash=previous,
        )
        event.hash = event.compute_hash(previous)
        event.save()
    return event


def sign_in(request, user) -> AuditEvent:
    return _append(Kind.SIGN_IN, actor=user, request=request)


def sign_out(request, user) -> AuditEvent:
    return _append(Kind.SIGN_OUT, actor=user, request=request)


def sign_in_failed(request, national_id: str) -> AuditEvent:
    return _append(Kind.SIGN_IN_FAILED, actor_name=national_id, detail=national_id, request=request)


def lockout(request, national_id: str) -> AuditEvent:
    return _append(Kind.LOCKOUT, actor_name=national_id, detail=national_id, request=request)


def transition(actor, case, action: str, *, before: dict, after: dict, note: str = "") -> AuditEvent:
    """Record a step of ``case`` (``action``: a name of ``cases.actions``, or intake); the note is the detail."""
    return _append(
        Kind.TRANSITION, actor=actor, actor_name="" if actor else "system", complaint=case, action=action,
        detail=note, before=before, after=after,
    )  # fmt: skip


def filed_online(case, *, after: dict, note: str, client_address: str | None) -> AuditEvent:
    """Record the intake of a complaint a citizen filed on the public website (``public.online``).

    No actor: nobody at a center recorded it. The address is the citizen's who typed
    it, whichever request files it (the form's own, or the e-mailed link's a day later);
    the note says that it came from the website."""
    return _append(Kind.TRANSITION, complaint=case, action="intake", detail=note, after=after, address=client_address)


def personal_data_viewed(request, case, *, person) -> AuditEvent:
    """Record that ``request.user`` was shown confidential complainant ``person``.

    The row names the person by reference (``complainant:<id>``), never by name:
    the log is read by people who may not see the name (a province head, the
    administrator) and it can never be edited to remove one. Rows written before
    this held the name itself; ``auditing.selectors.PersonalDataMask`` masks both."""
    return _append(
        Kind.PERSONAL_DATA_VIEW, actor=request.user, complaint=case, detail=personal_data_reference(person),
        request=request,
    )  # fmt: skip


def personal_data_reference(person) -> str:
    return f"{PERSON_REFERENCE}{person.pk}"


def export_requested(request, export) -> AuditEvent:
    """An officer asked for an export (``exports.models.Export``): what, with which filters.
    Its rows are counted when the file is made, and logged with each download."""
    return _append(
        Kind.EXPORT, actor=request.user, complaint=export.case_ref, request=request,
        detail=" ".join(filter(None, [export.kind, export.criteria, f"[export {export.pk}]"])),
    )  # fmt: skip


def export_downloaded(request, export) -> AuditEvent:
    return _append(
        Kind.EXPORT, actor=request.user, complaint=export.case_ref, request=request,
        detail=f"{export.kind} downloaded [export {export.pk}] ({export.rows}) sha256={export.sha256}",
    )  # fmt: skip


def letter_printed(request, case, *, person, what: str, letter_number: str) -> AuditEvent:
    """An officer printed a letter to complainant ``person`` of ``case`` (``what``: which
    letter, e.g. the progress letter of public.notices): her name and case leave the
    system on paper. She is named by reference, as in a view of personal data."""
    return _append(
        Kind.EXPORT, actor=request.user, complaint=case, request=request,
        detail=f"{what} {personal_data_reference(person)} {letter_number}",
    )  # fmt: skip


def permission_granted(actor, case, *, detail: str, after: dict) -> AuditEvent:
    return _append(Kind.PERMISSION_GRANT, actor=actor, complaint=case, detail=detail, after=after)


def permission_revoked(actor, case, *, detail: str, before: dict) -> AuditEvent:
    return _append(
        Kind.PERMISSION_REVOKE, actor=actor, actor_name="" if actor else "system", complaint=case,
        detail=detail, before=before,
    )  # fmt: skip


def settings_changed(actor, *, what: str, before: dict, after: dict) -> AuditEvent:
    return _append(Kind.SETTINGS_CHANGE, actor=actor, detail=what, before=before, after=after)


def reopen_request(actor, case, reopen_request, *, before_state: str = "", note: str = "") -> AuditEvent:
    """A complainant's request to reopen ``case`` (``citizens.models.ReopenRequest``), made on
    the tracking page (``actor`` None: the citizen has no account and is not named) or
    decided by the head; ``before_state`` its state before (empty when just made)."""
    state = reopen_request.state
    return _append(
        Kind.TRANSITION, actor=actor, actor_name="" if actor else "citizen (tracking page)", complaint=case,
        detail=f"reopen request {reopen_request.pk}: {state}" + (f" — {note}" if note else ""),
        before={"reopen_request": reopen_request.pk, "state": before_state} if before_state else {},
        after={"reopen_request": reopen_request.pk, "state": state},
    )  # fmt: skip


def audit_viewed(request, *, what: str, case=None) -> AuditEvent:
    return _append(Kind.AUDIT_VIEW, actor=request.user, complaint=case, detail=what, request=request)


def attached(actor, case, attachment) -> AuditEvent:
    return _append(
        Kind.ATTACHMENT, actor=actor, complaint=case, detail=attachment.original_name,
        after={
            "id": attachment.pk, "kind": attachment.kind, "content_type": attachment.content_type,
            "size": attachment.size, "sha256": attachment.sha256, "description": attachment.description,
        },
    )  # fmt: skip


def document_added(actor, document, *, case=None) -> AuditEvent:
    """A scanned document added to a case, or to a center's tray (``case`` None; ``actor`` None
    for a scanner's folder): its file's hash, as the audit of an attachment has it."""
    return _append(
        Kind.ATTACHMENT, actor=actor, actor_name="" if actor else "watch_scans", complaint=case,
        action="document_added", detail=document.original_name,
        after={
            "document": document.pk, "district": document.district_id, "content_type": document.content_type,
            "size": document.size, "sha256": document.sha256, "pages": document.page_count,
        },
    )  # fmt: skip


def document_filed(actor, document, *, case, previous_case=None) -> AuditEvent:
    """A scanned document put on ``case``, from a tray or from ``previous_case``."""
    return _append(
        Kind.ATTACHMENT, actor=actor, complaint=case, action="document_filed", detail=document.original_name,
        before={"case": previous_case.number if previous_case else "", "district": document.district_id},
        after={"document": document.pk, "case": case.number, "sha256": document.sha256},
    )  # fmt: skip


# --- Inbox tasks: who took, gave back or handed on a case's task (ids only, never names) ---


def _task_change(kind: str, actor, task, *, from_user_id, to_user_id) -> AuditEvent:
    step = task.flow_task.name if task.flow_task else ""
    return _append(
        kind, actor=actor, complaint=task.complaint, detail=f"task {task.pk} ({step})",
        before={"task": task.pk, "case": task.complaint_id, "owner": from_user_id},
        after={"task": task.pk, "case": task.complaint_id, "owner": to_user_id},
    )  # fmt: skip


def task_claimed(actor, task) -> AuditEvent:
    return _task_change(Kind.TASK_CLAIM, actor, task, from_user_id=None, to_user_id=actor.pk)


def task_released(actor, task, *, from_user_id: int | None = None) -> AuditEvent:
    """A task given back to its queue: by its holder, or (``from_user_id``) taken from an
    officer whose account or scope ended (``actor`` the certifier, or None: the system)."""
    return _task_change(
        Kind.TASK_RELEASE, actor, task, from_user_id=from_user_id or getattr(actor, "pk", None), to_user_id=None
    )


def task_reassigned(actor, task, *, from_user_id: int | None, to_user) -> AuditEvent:
    return _task_change(Kind.TASK_REASSIGN, actor, task, from_user_id=from_user_id, to_user_id=to_user.pk)


# --- The citizens' site: news of a center's activities (public.news) ------------------------

# A news row's detail begins with this and the post's id, then the step: "news:12 publish: <title>".
NEWS_REFERENCE = "news:"


def news_changed(
    actor, *, post_id: int, step: str, title: str, before: dict | None = None, after: dict | None = None
) -> AuditEvent:
    """Record a step of a center's news post (written, edited, its photos, published, withdrawn).

    The rows are the post's history: each copies the post's id and title, and what
    changed, so that it outlives the post."""
    return _append(
        Kind.PUBLICATION, actor=actor, detail=f"{NEWS_REFERENCE}{post_id} {step}: {title}", before=before,
        after=after,
    )  # fmt: skip


# --- Accounts: registration, certification, activation, the end of an account (accounts/) ----

# An account row's detail begins with this and the registration's id: "registration:12 certified".
REGISTRATION_REFERENCE = "registration:"


def account(
    actor, step: str, *, registration=None, account=None, before: dict | None = None, after: dict | None = None,
    note: str = "", request=None,
) -> AuditEvent:  # fmt: skip
    """Record a step in the life of an officer's account (``actor`` None: the system, as the
    daily task that ends a replaced officer's account on the date assigned). A head who
    certified his own form has "self-certified" in the step."""
    subject = f"{REGISTRATION_REFERENCE}{registration.pk} " if registration is not None else ""
    whom = account or getattr(registration, "account", None)
    detail = f"{subject}{step}" + (f" [account {whom.pk}]" if whom is not None else "") + (f" — {note}" if note else "")
    return _append(
        Kind.ACCOUNT, actor=actor, actor_name="" if actor else "system", detail=detail, before=before,
        after=after, request=request,
    )  # fmt: skip


# --- Repeat complaints (repeats/): cases outside an officer's sight shown to him, access asked ----

# A "shown" row's detail begins with this, then where the candidates were found and the relations.
REPEAT_SHOWN_REFERENCE = "repeat-candidate:"


def repeat_candidates_shown(actor, shown, *, where: str) -> list[AuditEvent]:
    """Record that ``actor`` was shown, as possible repeats found at ``where`` ("intake", or
    "case:<id>" for a case's page), the cases of ``shown`` that are outside his sight: one row
    per case and showing, ``shown`` being (case, relations) pairs. The card he saw had the
    case's center, number, date and status only, so the row has its id, number and relations,
    nothing of its parties or text. Kind: a view of personal data, for the card tells him that
    the person or party he typed has a case at that center.

    All rows in one turn of the chain (one lock, one read of the last hash, one insert), so
    that a check showing ten cases costs what one showing two does."""
    if not shown:
        return []
    origin = current_origin()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
        previous = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS
        events = []
        for case, relations in shown:
            event = AuditEvent(
                kind=Kind.PERSONAL_DATA_VIEW, actor_id=actor.pk, actor_name=actor.get_full_name()[:250],
                actor_national_id=actor.national_id or "", ip=origin.ip, user_agent=origin.user_agent,
                complaint_id=case.pk, case_number=case.number,
                detail=f"{REPEAT_SHOWN_REFERENCE}{where} {', '.join(relations)}"[:500],
                after={"relations": list(relations), "where": where}, prev_hash=previous,
            )  # fmt: skip
            event.hash = previous = event.compute_hash(previous)
            events.append(event)
        AuditEvent.objects.bulk_create(events)
    return events


def access_request(actor, case, access_request, *, before_state: str = "", note: str = "") -> AuditEvent:
    """A step of an officer's request for access to ``case`` (``permissions.models.AccessRequest``):
    asked (with its reason), granted (the share itself is its own row), refused or withdrawn;
    ``before_state`` its state before (empty when just asked)."""
    state = access_request.state
    said = access_request.reason if not before_state else note
    return _append(
        Kind.TRANSITION, actor=actor, complaint=case,
        detail=f"access request {access_request.pk}: {state}" + (f" — {said}" if said else ""),
        before={"access_request": access_request.pk, "state": before_state} if before_state else {},
        after={"access_request": access_request.pk, "state": state, "requested_by": access_request.requested_by_id},
    )  # fmt: skip


# --- Repeat complaints (repeats/): links between cases, and merges --------------------------


def repeat_link(actor, case, link, *, other, step: str, note: str = "", before_state: str = "") -> AuditEvent:
    """A step on the relation of ``case`` to ``other`` as repeats (``repeats.models.RepeatLink``,
    by ``repeats.services``): linked, confirmed, dismissed, unlinked or merged; written once for
    each of the two cases, so that each case's trail shows it. ``before_state`` is the link's
    state before (empty when the link is new); the note is the officer's reason. The other case
    by its id only: whoever reads this case's trail may not see that one (it may name him)."""
    return _append(
        Kind.TRANSITION, actor=actor, complaint=case,
        detail=f"repeat link {link.pk} {step} ({link.relation})" + (f" — {note}" if note else ""),
        before={"repeat_link": link.pk, "state": before_state} if before_state else {},
        after={"repeat_link": link.pk, "state": link.state, "relation": link.relation, "other_case": other.pk},
    )  # fmt: skip


def merged_in(actor, kept, *, merged, note: str = "") -> AuditEvent:
    """A head merged case ``merged`` into ``kept`` (``cases.services.case_merge``): the kept
    case's row, naming the merged case by its id (as ``repeat_link``). The merged case's own
    row is its transition "merge"."""
    return _append(
        Kind.TRANSITION, actor=actor, complaint=kept, action="merged_in", detail=note,
        after={"merged_case": merged.pk},
    )  # fmt: skip
