"""REST API v1: thin views that parse, call a selector or a service, and answer JSON.

Every case is read through ``cases.selectors`` (``Complaint.objects.visible_to``): a case
the user may not see is a 404, never a 403 that would say it exists. Every action goes
through the registry (``cases.actions``) and its service, which check the state machine
and the rule (``permissions.rules``); a refusal of the state machine is a 409 with what
the server now says of the case.
"""

from __future__ import annotations

from decimal import Decimal

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from django.contrib.auth import authenticate, user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api import actions as api_actions
from api import selectors, services
from api.errors import ApiError, conflict, django_field_messages
from api.idempotency import HEADER, idempotent
from api.models import DeviceToken
from api.permissions import IsOfficer
from api.serializers import (
    AreaListSerializer,
    AreaQuerySerializer,
    AttachmentRequestSerializer,
    AttachmentSerializer,
    CaseDetailSerializer,
    CasePageSerializer,
    CaseSummarySerializer,
    CategoryListSerializer,
    ConflictSerializer,
    ErrorSerializer,
    MarkedSerializer,
    NotificationListSerializer,
    NotificationSerializer,
    NotificationsReadSerializer,
    ProgressRequestSerializer,
    TaskPageSerializer,
    TaskSerializer,
    TimelineEventSerializer,
    TimelineSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    UserSerializer,
    complainant,
)
from audit import events as audit_events
from cases import file_views
from cases import services as case_services
from cases.actions import ACTIONS, available
from cases.models import Category, Status
from cases.selectors import get_case_for_user
from core.forms import LoginForm
from core.models import District, Province, Subdistrict
from core.thai import normalize_national_id
from permissions import rules
from workflows import engine, notify
from workflows.models import CaseTask, Notification

# --- The OpenAPI document's refusals -----------------------------------------------------------

_ERROR_TEXT = {
    400: "Invalid input: fields says which (code invalid), or a malformed body",
    401: "Not signed in, or the device token is revoked or expired",
    403: "Not allowed (forbidden), or the password must be changed first (password_change_required)",
    404: "Not found, or not visible to this user",
    409: "The state machine refused (conflict): case is what the server now says",
    415: "The body is not in a format this operation takes (unsupported_media_type)",
    422: "The Idempotency-Key was used for another request (idempotency_key_reused)",
    429: "Too many failed sign-ins from here: locked out for a while (locked_out)",
}


def errors(*codes: int, signed_in: bool = True, case_conflict: bool = True) -> dict:
    """The refusals an operation documents (401 and 403 for every signed-in one); a 409 of
    a case carries the case as it now is."""
    wanted = sorted(set(codes) | ({401, 403} if signed_in else set()))
    return {
        code: OpenApiResponse(
            ConflictSerializer if code == 409 and case_conflict else ErrorSerializer, description=_ERROR_TEXT[code]
        )
        for code in wanted
    }


IDEMPOTENCY = OpenApiParameter(
    HEADER, str, OpenApiParameter.HEADER, required=False,
    description="A key the client makes (a UUID): the same key again returns the first answer, never acts twice",
)  # fmt: skip


# --- Sign-in --------------------------------------------------------------------------------


class TokenView(APIView):
    """Sign a device in (a token of its own) and out."""

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsOfficer()]

    def perform_authentication(self, request):
        # Signing in reads no token: a stale one left on the phone must not refuse it.
        if request.method != "POST":
            super().perform_authentication(request)

    @extend_schema(
        operation_id="auth_token_create",
        request=TokenRequestSerializer,
        responses={201: TokenSerializer, **errors(400, 403, 415, 429, signed_in=False)},
        auth=[],
        description="Sign in with the national ID and the password, as on the web (the same lockout).",
    )
    def post(self, request):
        data = _valid(TokenRequestSerializer, request.data)
        try:
            national_id = normalize_national_id(data["national_id"])
        except DjangoValidationError as error:
            raise exceptions.ValidationError({"national_id": error.messages}) from None
        if _locked_out(request, national_id):
            raise ApiError(status.HTTP_429_TOO_MANY_REQUESTS, "locked_out", _locked_out_message(request))
        # The keyword the web's sign-in form uses: django-axes counts a failure against this
        # national ID from this address (core.auth.axes_username), web and API alike.
        user = authenticate(request, username=national_id, password=data["password"])
        if user is None:
            if getattr(request, "axes_locked_out", False):  # this failure was the last one allowed
                raise ApiError(status.HTTP_429_TOO_MANY_REQUESTS, "locked_out", _locked_out_message(request))
            raise ApiError(
                status.HTTP_400_BAD_REQUEST, "invalid_credentials", LoginForm.error_messages["invalid_login"]
            )
        if user.must_change_password:
            raise ApiError(
                status.HTTP_403_FORBIDDEN, "password_change_required",
                _("ต้องเปลี่ยนรหัสผ่านก่อนใช้งาน กรุณาเข้าสู่ระบบที่เว็บไซต์ของระบบเพื่อตั้งรหัสผ่านใหม่ แล้วจึงเข้าสู่ระบบในแอปอีกครั้ง"),
            )  # fmt: skip
        token, key = services.token_issue(user=user, name=data["device_name"], request=request)
        # As django.contrib.auth.login tells: the audit log's sign-in, django-axes' reset of
        # the failures, the last login. A device has no session to rotate.
        user_logged_in.send(sender=type(user), request=request, user=user)
        body = {"token": key, "token_id": token.pk, "expires_at": token.expires_at, "user": user}
        return Response(TokenSerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(operation_id="auth_token_destroy", responses={204: None, **errors(400)})
    def delete(self, request):
        """Sign this device out: its token is revoked at once."""
        if not isinstance(request.auth, DeviceToken):
            raise ApiError(status.HTTP_400_BAD_REQUEST, "no_device_token", _("คำขอนี้ไม่ได้ใช้โทเค็นของอุปกรณ์"))
        services.token_revoke(token=request.auth, by=request.user, request=request)
        user_logged_out.send(sender=type(request.user), request=request, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _locked_out(request, national_id: str) -> bool:
    """Whether django-axes has locked ``national_id`` out from this address, asked before
    authenticating. Its backend asks too, but reads the national ID as core.auth.axes_username
    finds it: under "username" in the credentials or in the posted form, which a JSON body
    is not. A locked-out attempt is told to the signal's receivers as the web's is (the
    audit log's failure and lockout rows); django-axes does not count it again."""
    if AxesProxyHandler.is_allowed(request, {"username": national_id}):
        return False
    request.axes_locked_out = True
    user_login_failed.send(sender=__name__, credentials={"username": national_id}, request=request)
    return True


def _locked_out_message(request) -> str:
    # The words of the web's lockout page (templates/registration/locked_out.html).
    message = _("กรอกรหัสผ่านผิด %(limit)s ครั้ง ระบบจึงระงับการเข้าสู่ระบบด้วยเลขประจำตัวประชาชนนี้จากเครื่องนี้ไว้ชั่วคราว") % {
        "limit": get_failure_limit(request, None)
    }
    if cool_off := get_cool_off(request):
        message += " " + _("ลองใหม่ได้อีกครั้งหลังจาก %(minutes)s นาที") % {"minutes": int(cool_off.total_seconds() // 60)}
    return message


class MeView(APIView):
    @extend_schema(responses={200: UserSerializer, **errors()})
    def get(self, request):
        return Response(UserSerializer(request.user).data)


# --- Cases ----------------------------------------------------------------------------------


def _valid(serializer_class, data, **kwargs) -> dict:
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _next_url(request, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    query = request.GET.copy()
    query["cursor"] = cursor
    return f"{request.path}?{query.urlencode()}"


def case_detail(request, case) -> dict:
    """The case as the case page shows it to ``request.user``: confidential complainants
    masked unless ``rules.can_see_confidential``, and every identity shown is logged, as
    the page logs it (cases.views)."""
    show_identity = rules.can_see_confidential(request.user, case)
    people = list(case.complainants.order_by("pk"))
    if show_identity:
        for person in people:
            if person.is_confidential:
                audit_events.personal_data_viewed(request, case, person=person)
    context = {
        "complainants": [complainant(person, show_identity=show_identity) for person in people],
        "respondents": list(case.respondents.order_by("pk")),
        "attachments": list(case.attachments.order_by("uploaded_at", "pk")),
        "actions": [api_actions.describe(action, case) for action in available(request.user, case)],
    }
    return CaseDetailSerializer(case, context=context).data


def _case(request, pk):
    return get_case_for_user(request.user, pk)


class CaseListView(APIView):
    @extend_schema(
        operation_id="cases_list",
        parameters=[
            OpenApiParameter("mine", OpenApiTypes.BOOL, description="Only the cases of my teams and of my tasks"),
            OpenApiParameter("status", str, enum=Status.values),
            OpenApiParameter("cursor", str, description="The `next` of the page before"),
        ],
        responses={200: CasePageSerializer, **errors(400)},
    )
    def get(self, request):
        status_wanted = request.GET.get("status", "")
        if status_wanted and status_wanted not in Status.values:
            raise exceptions.ValidationError({"status": [_("ไม่มีสถานะนี้")]})
        only_mine = request.GET.get("mine", "").lower() in ("1", "true", "yes", "on")
        page = selectors.case_page(
            request.user, status=status_wanted, only_mine=only_mine, after=request.GET.get("cursor", "")
        )
        results = CaseSummarySerializer(page.items, many=True).data
        return Response({"results": results, "next": _next_url(request, page.next_cursor)})


class CaseDetailView(APIView):
    @extend_schema(operation_id="cases_retrieve", responses={200: CaseDetailSerializer, **errors(404)})
    def get(self, request, pk):
        return Response(case_detail(request, _case(request, pk)))


class CaseTimelineView(APIView):
    @extend_schema(responses={200: TimelineSerializer, **errors(404)})
    def get(self, request, pk):
        case = _case(request, pk)
        events = case.events.order_by("at", "pk")
        return Response({"number": case.number, "results": TimelineEventSerializer(events, many=True).data})


def _refused(request, case, refused: case_services.ActionRefused):
    """A refusal of the write path as the API says it: 403 for the rule, 409 (with the case
    as it now is) for the state machine and everything else that depends on the case."""
    if refused.code == "forbidden":
        return ApiError(status.HTTP_403_FORBIDDEN, "forbidden", refused.message)
    code = "conflict" if refused.code in ("changed", "wrong_state") else refused.code
    # Read when the answer is written, once the refused request's transaction has ended: the
    # case as it is then, and the audit row of a complainant shown in it kept.
    return conflict(
        refused.message, case=lambda: case_detail(request, get_case_for_user(request.user, case.pk)), code=code
    )


class CaseActionView(APIView):
    @extend_schema(
        operation_id="cases_actions_create",
        # The actions a client may take with their form; the merge is the case page's own (Action.offered).
        parameters=[
            OpenApiParameter("name", str, OpenApiParameter.PATH, enum=[n for n, a in ACTIONS.items() if a.offered]),
            IDEMPOTENCY,
        ],
        request={
            "application/json": {
                "type": "object",
                "properties": {"expected_status": {"type": "string", "enum": Status.values}},
                "required": ["expected_status"],
                "additionalProperties": True,
                "description": "expected_status (the case's version) and the action's fields (the case's actions[].fields)",
            }
        },
        responses={200: CaseDetailSerializer, **errors(400, 404, 409, 415, 422)},
    )
    def post(self, request, pk, name):
        if (action := ACTIONS.get(name)) is None or not action.offered:
            raise exceptions.NotFound
        case = _case(request, pk)
        return idempotent(request, lambda: self._act(request, case, action))

    def _act(self, request, case, action) -> Response:
        if not isinstance(request.data, dict):
            raise exceptions.ParseError
        try:
            data, files = api_actions.form_data(request.data, request.FILES)
        except api_actions.NotScalar as error:
            raise exceptions.ValidationError({error.name: [_("ค่านี้ต้องเป็นข้อความหรือตัวเลข")]}) from None
        form = action.form_class(data, files, case=case)
        if not form.is_valid():
            raise exceptions.ValidationError(django_field_messages(DjangoValidationError(form.errors.as_data())))
        arguments = dict(form.cleaned_data)
        expected_status = arguments.pop(api_actions.EXPECTED_STATUS)
        try:
            action.run(actor=request.user, case=case, expected_status=expected_status, **arguments)
        except case_services.ActionRefused as refused:
            raise _refused(request, case, refused) from None
        return Response(case_detail(request, case))


class CaseProgressView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="cases_progress_create",
        parameters=[IDEMPOTENCY],
        request={"multipart/form-data": ProgressRequestSerializer},
        responses={201: CaseDetailSerializer, **errors(400, 404, 409, 415, 422)},
        description="A progress report with photos (JPEG, PNG or WebP; re-encoded, metadata dropped) and "
        "the phone's position: the action report_progress.",
    )
    def post(self, request, pk):
        case = _case(request, pk)
        return idempotent(request, lambda: self._report(request, case))

    def _report(self, request, case) -> Response:
        data = _valid(ProgressRequestSerializer, request.data)
        action = ACTIONS["report_progress"]
        try:
            action.run(
                actor=request.user, case=case, text=data["note"], expected_status=data["expected_status"],
                latitude=_coordinate(data.get("latitude")), longitude=_coordinate(data.get("longitude")),
                photos=data["photos"],
            )  # fmt: skip
        except case_services.ActionRefused as refused:
            raise _refused(request, case, refused) from None
        except DjangoValidationError as error:
            # The service names its input as the web form does (text, file): the API's names.
            fields = django_field_messages(error)
            renamed = {
                {"text": "note", "file": "photos"}.get(name, name): messages for name, messages in fields.items()
            }
            raise exceptions.ValidationError(renamed) from None
        return Response(case_detail(request, case), status=status.HTTP_201_CREATED)


def _coordinate(value: float | None) -> Decimal | None:
    # A phone's position comes with 15 decimals; the case keeps 6 (about 10 cm).
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.000001"))


class CaseAttachmentsView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="cases_attachments_create",
        parameters=[IDEMPOTENCY],
        request={"multipart/form-data": AttachmentRequestSerializer},
        responses={201: AttachmentSerializer, **errors(400, 404, 409, 415, 422)},
    )
    def post(self, request, pk):
        case = _case(request, pk)
        return idempotent(request, lambda: self._attach(request, case))

    def _attach(self, request, case) -> Response:
        data = _valid(AttachmentRequestSerializer, request.data)
        try:
            attachment = case_services.case_attach(
                actor=request.user, case=case, uploaded=data["file"], description=data["description"]
            )
        except case_services.ActionRefused as refused:
            raise _refused(request, case, refused) from None
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class CaseAttachmentView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("thumbnail", OpenApiTypes.BOOL, description="The photo's thumbnail (JPEG)"),
        ],
        responses={
            (200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY, description="The file as it was kept: a photo as JPEG"),
            **errors(404),
        },
    )
    def get(self, request, pk, attachment_pk):
        """The file, as the case page serves it (cases.file_views: checked case, headers)."""
        thumbnail = request.GET.get("thumbnail", "").lower() in ("1", "true", "yes", "on")
        view = file_views.attachment_thumbnail if thumbnail else file_views.attachment_download
        return view(request._request, pk=pk, attachment_pk=attachment_pk)


# --- Tasks ------------------------------------------------------------------------------------


class TaskListView(APIView):
    @extend_schema(
        operation_id="tasks_list",
        parameters=[
            OpenApiParameter("tab", str, enum=list(selectors.TABS), description="mine (default) or queue"),
            OpenApiParameter("cursor", str, description="The `next` of the page before"),
        ],
        responses={200: TaskPageSerializer, **errors(400)},
    )
    def get(self, request):
        tab = request.GET.get("tab", "mine")
        if tab not in selectors.TABS:
            raise exceptions.ValidationError({"tab": [_("เลือกได้เฉพาะ mine หรือ queue")]})
        page = selectors.task_page(request.user, tab, after=request.GET.get("cursor", ""))
        results = TaskSerializer(page.items, many=True).data
        return Response({"results": results, "next": _next_url(request, page.next_cursor)})


def _visible_task(user, pk) -> CaseTask:
    """A task of a case the user may see, else 404 (as the inbox's buttons fetch it)."""
    related = [f"complaint__{name}" for name in selectors.SUMMARY_RELATED]
    task = CaseTask.objects.select_related("owner", *related).filter(pk=pk).first()
    if task is None or task.complaint_id is None or not rules.sees(user, task.complaint):
        raise exceptions.NotFound
    return task


class _TaskStepView(APIView):
    step = staticmethod(engine.claim)

    def post(self, request, pk):
        task = _visible_task(request.user, pk)
        return idempotent(request, lambda: self._take(request, task))

    def _take(self, request, task) -> Response:
        try:
            self.step(task, request.user)
        except engine.WorkflowError as error:
            code = status.HTTP_403_FORBIDDEN if error.code == "forbidden" else status.HTTP_409_CONFLICT
            raise ApiError(code, "forbidden" if code == 403 else error.code, error.message) from None
        task = _visible_task(request.user, task.pk)
        task.node = engine.node_name(task)
        openings = engine.opening_actions(request.user, [task]) if task.owner_id is None else [None]
        task.opening_action = openings[0].name if openings[0] else None
        return Response(TaskSerializer(task).data)


_TASK_STEP = dict(
    parameters=[IDEMPOTENCY],
    request=None,
    responses={200: TaskSerializer, **errors(400, 404, 409, 422, case_conflict=False)},
)


class TaskClaimView(_TaskStepView):
    step = staticmethod(engine.claim)

    @extend_schema(operation_id="tasks_claim", **_TASK_STEP)
    def post(self, request, pk):
        return super().post(request, pk)


class TaskReleaseView(_TaskStepView):
    step = staticmethod(engine.release)

    @extend_schema(operation_id="tasks_release", **_TASK_STEP)
    def post(self, request, pk):
        return super().post(request, pk)


# --- Notifications ------------------------------------------------------------------------------


class NotificationListView(APIView):
    @extend_schema(operation_id="notifications_list", responses={200: NotificationListSerializer, **errors()})
    def get(self, request):
        items = notify.notices_for(request.user)
        unread = Notification.objects.filter(recipient=request.user, read_at__isnull=True).count()
        return Response({"results": NotificationSerializer(items, many=True).data, "unread": unread})


class NotificationsReadView(APIView):
    @extend_schema(
        operation_id="notifications_read",
        parameters=[IDEMPOTENCY],
        request=NotificationsReadSerializer,
        responses={200: MarkedSerializer, **errors(400, 415, 422)},
    )
    def post(self, request):
        return idempotent(request, lambda: self._read(request))

    def _read(self, request) -> Response:
        data = _valid(NotificationsReadSerializer, request.data if isinstance(request.data, dict) else {})
        unread = Notification.objects.filter(recipient=request.user, read_at__isnull=True)
        if "ids" in data:
            unread = unread.filter(pk__in=data["ids"])
        return Response({"marked": unread.update(read_at=timezone.now())})


# --- Reference data ---------------------------------------------------------------------------


class CategoryListView(APIView):
    @extend_schema(operation_id="categories_list", responses={200: CategoryListSerializer, **errors()})
    def get(self, request):
        active = Category.objects.filter(is_active=True)
        mains = active.filter(parent__isnull=True).prefetch_related(
            Prefetch("children", queryset=active.order_by("sort_order", "name_th"), to_attr="active_children")
        )
        return Response(CategoryListSerializer({"results": mains}).data)


class ProvinceListView(APIView):
    @extend_schema(operation_id="geography_provinces_list", responses={200: AreaListSerializer, **errors()})
    def get(self, request):
        return Response(AreaListSerializer({"results": Province.objects.order_by("code")}).data)


class DistrictListView(APIView):
    @extend_schema(
        operation_id="geography_districts_list",
        parameters=[OpenApiParameter("province", str, required=True, pattern="^[0-9]{2}$")],
        responses={200: AreaListSerializer, **errors(400)},
    )
    def get(self, request):
        province = _area_query(request, "province")
        return Response(AreaListSerializer({"results": District.objects.filter(province_id=province)}).data)


class SubdistrictListView(APIView):
    @extend_schema(
        operation_id="geography_subdistricts_list",
        parameters=[OpenApiParameter("district", str, required=True, pattern="^[0-9]{4}$")],
        responses={200: AreaListSerializer, **errors(400)},
    )
    def get(self, request):
        district = _area_query(request, "district")
        return Response(AreaListSerializer({"results": Subdistrict.objects.filter(district_id=district)}).data)


def _area_query(request, name: str) -> str:
    data = _valid(AreaQuerySerializer, {name: request.GET.get(name)} if name in request.GET else {})
    if name not in data:
        raise exceptions.ValidationError({name: [_("กรุณาระบุรหัส")]})
    return data[name]
