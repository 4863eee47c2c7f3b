import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from rencai.core import crypto
from rencai.recognition import cards, selectors, services
from rencai.recognition.models import Application, Attachment, Recognition
from rencai.talents.models import Talent

from .conftest import PNG, assignment_of, attach_all, submitted, upload

pytestmark = pytest.mark.django_db


def form_token(html: str) -> str:
    return re.search(r'name="form_token" value="([0-9a-f-]+)"', html).group(1)


def test_talent_applies_uploads_and_submits_through_the_pages(client, talent_user):
    client.force_login(talent_user)
    page = client.get("/recognition/apply/").content.decode()
    assert "示例标准，须替换" in page and "C03" in page
    response = client.post("/recognition/apply/", {"way": "direct", "category": "C", "item": "C03",
                                                   "form_token": form_token(page)})
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/recognition/applications/{application.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert "一次性告知" in html and "身份证件、在沈工作证明、政府特殊津贴证书" in html
    refused = client.post(f"/recognition/applications/{application.pk}/submit/", {"confirmed": "1"})
    assert refused.status_code == 422
    assert "缺少“身份证件”" in refused.content.decode() and "缺少“政府特殊津贴证书”" in refused.content.decode()
    for requirement in selectors.requirements_for(application):
        if requirement.required:
            response = client.post(f"/recognition/applications/{application.pk}/upload/",
                                   {"requirement": requirement.pk, "file": upload()})
            assert response.status_code == 302
    assert client.post(f"/recognition/applications/{application.pk}/submit/", {"confirmed": "1"}).status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted"
    assert "已提交，待核验材料" in client.get("/recognition/mine/").content.decode()


def test_posting_the_apply_form_twice_creates_one_application(client, talent_user):
    client.force_login(talent_user)
    token = form_token(client.get("/recognition/apply/").content.decode())
    data = {"way": "review", "category": "D", "statement": "十年数控加工经验", "form_token": token}
    first = client.post("/recognition/apply/", data)
    second = client.post("/recognition/apply/", data)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Application.objects.count() == 1


def test_apply_form_shows_every_field_error(client, talent_user):
    client.force_login(talent_user)
    response = client.post("/recognition/apply/", {"way": "direct", "category": "", "item": "",
                                                   "form_token": "not-a-uuid"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "请选择申请的人才类别" in html and "直接认定须选择符合的认定条目" in html
    assert not Application.objects.exists()


def test_wrong_upload_is_refused_on_the_page_with_a_clear_message(client, talent_user, settings):
    client.force_login(talent_user)
    application = submitted_draft(talent_user)
    requirement = selectors.requirements_for(application)[0]
    url = f"/recognition/applications/{application.pk}/upload/"
    response = client.post(url, {"requirement": requirement.pk, "file": upload(b"GIF89a....", "假装.pdf")})
    assert response.status_code == 400
    assert "材料“身份证件”：文件内容不是PDF、JPEG或PNG" in response.content.decode()
    settings.RENCAI_MAX_UPLOAD_BYTES = 50
    response = client.post(url, {"requirement": requirement.pk, "file": upload(PNG + b"0" * 100)})
    assert response.status_code == 413 and "超过上限" in response.content.decode()
    assert not Attachment.objects.exists()


def submitted_draft(user):
    from .conftest import create

    return create(user)


def test_staff_queue_orders_by_age_and_the_officer_decides(client, talent_user, heping_staff, make_user,
                                                           make_talent):
    older = submitted(talent_user)
    Application.objects.filter(pk=older.pk).update(submitted_at=older.submitted_at - dt.timedelta(days=6))
    second_user = make_user("lisi", "talent")
    newer_talent = make_talent(name="李四")
    Talent.objects.filter(pk=newer_talent.pk).update(user=second_user)
    newer = submitted(second_user, way="review", category="D")
    client.force_login(heping_staff)
    html = client.get("/recognition/queue/").content.decode()
    assert html.index(older.number) < html.index(newer.number)
    assert "6天" in html and "2101**********" in html
    assert newer.number not in client.get("/recognition/queue/?way=direct").content.decode()

    response = client.post(f"/recognition/applications/{older.pk}/accept/", {"confirmed": "1"})
    assert response.status_code == 302
    html = client.get(f"/recognition/applications/{older.pk}/").content.decode()
    assert "已认定" in html and "查看人才卡" in html
    assert html.count('<li data-action=') == 4 and "材料核验通过，符合条目C03" in html


def test_leader_sees_the_queue_but_cannot_decide(client, talent_user, leader):
    application = submitted(talent_user)
    client.force_login(leader)
    assert application.number in client.get("/recognition/queue/").content.decode()
    response = client.post(f"/recognition/applications/{application.pk}/accept/", {"confirmed": "1"})
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == "submitted"


def test_officer_of_another_district_gets_404_everywhere(client, talent_user, hunnan_staff):
    application = submitted(talent_user)
    attachment = Attachment.objects.filter(application=application).first()
    client.force_login(hunnan_staff)
    assert client.get(f"/recognition/applications/{application.pk}/").status_code == 404
    assert client.get(f"/recognition/applications/{application.pk}/files/{attachment.pk}/").status_code == 404
    assert client.post(f"/recognition/applications/{application.pk}/accept/", {"confirmed": "1"}).status_code == 404
    application.refresh_from_db()
    assert application.status == "submitted"


def test_evidence_is_served_only_through_the_checked_view(client, talent_user, make_user, make_talent):
    application = submitted(talent_user)
    attachment = Attachment.objects.filter(application=application).first()
    url = f"/recognition/applications/{application.pk}/files/{attachment.pk}/"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(talent_user)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    stranger = make_user("stranger", "talent")
    client.force_login(stranger)
    assert client.get(url).status_code == 404


def test_a_decision_on_a_withdrawn_application_is_refused_on_the_page(client, talent_user, heping_staff):
    application = submitted(talent_user)
    client.force_login(talent_user)
    response = client.post(f"/recognition/applications/{application.pk}/withdraw/",
                           {"confirmed": "1", "reason": "改日再报"})
    assert response.status_code == 302
    client.force_login(heping_staff)
    response = client.post(f"/recognition/applications/{application.pk}/accept/", {"confirmed": "1"})
    assert response.status_code == 409 and "该申请已撤回" in response.content.decode()


def test_return_notice_is_shown_to_the_talent_all_at_once(client, talent_user, heping_staff):
    application = submitted(talent_user)
    requirements = [r for r in selectors.requirements_for(application) if r.required]
    client.force_login(heping_staff)
    response = client.post(f"/recognition/applications/{application.pk}/return/",
                           {f"problem_{requirements[0].pk}": "照片模糊", f"problem_{requirements[1].pk}": "合同过期",
                            "note": "请同时补充社保记录"})
    assert response.status_code == 302
    client.force_login(talent_user)
    html = client.get(f"/recognition/applications/{application.pk}/").content.decode()
    notice = html[html.index('id="return-notice"'):]
    assert "身份证件：照片模糊" in notice and "在沈工作证明：合同过期" in notice and "请同时补充社保记录" in notice


def test_review_walks_from_panel_to_decision_through_the_pages(client, talent_user, heping_staff, experts):
    application = submitted(talent_user, way="review", category="C")
    client.force_login(heping_staff)
    client.post(f"/recognition/applications/{application.pk}/accept/", {"confirmed": "1"})
    html = client.get(f"/recognition/applications/{application.pk}/").content.decode()
    assert "钱专家（专家与申请人同一单位）" in html and f'value="{experts[3].pk}"' not in html
    response = client.post(f"/recognition/applications/{application.pk}/panel/",
                           {"confirmed": "1", "experts": [e.pk for e in experts[:3]]})
    assert response.status_code == 302
    for expert, score in zip(experts[:3], (18, 17, 16), strict=True):
        client.force_login(expert.user)
        assignment = assignment_of(application, expert)
        assert application.number in client.get("/recognition/reviews/").content.decode()
        bad = client.post(f"/recognition/reviews/{assignment.pk}/", {"confirmed": "1", "professional": "21"})
        assert bad.status_code == 422 and "专业水平：应在0至20分之间" in bad.content.decode()
        good = client.post(f"/recognition/reviews/{assignment.pk}/",
                           {d: score for d in ("professional", "potential", "experience", "contribution",
                                               "remuneration")} | {"comment": "业绩突出", "confirmed": "1"})
        assert good.status_code == 302
    client.force_login(talent_user)
    html = client.get(f"/recognition/applications/{application.pk}/").content.decode()
    assert "王专家" not in html and "评审专家" in html  # experts are not named to the applicant
    client.force_login(heping_staff)
    assert client.post(f"/recognition/applications/{application.pk}/conclude/", {"confirmed": "1"}).status_code == 302
    application.refresh_from_db()
    assert application.status == "approved" and application.review_score == 85
    assert "王专家" in client.get(f"/recognition/applications/{application.pk}/").content.decode()


def test_employer_page_shows_the_quota_and_recognises_an_employee(client, employer_user, talent_user,
                                                                  authorization):
    client.force_login(employer_user)
    html = client.get("/recognition/employer/").content.decode()
    assert 'data-category="C"' in html and "500,000元" in html
    page = client.get("/recognition/apply/?way=employer").content.decode()
    talent = Talent.objects.get(user=talent_user)
    response = client.post("/recognition/apply/", {
        "way": "employer", "category": "C", "talent": talent.pk, "annual_salary": "650000", "annual_tax": "130000",
        "market_value": "20000000", "form_token": form_token(page)})
    application = Application.objects.get()
    assert response["Location"] == f"/recognition/applications/{application.pk}/"
    attach_all(employer_user, application)
    assert client.post(f"/recognition/applications/{application.pk}/submit/", {"confirmed": "1"}).status_code == 302
    html = client.get("/recognition/employer/").content.decode()
    row = html[html.index('data-category="C"'):]
    assert '<td class="num remaining">0</td>' in row[:400]
    assert Recognition.objects.get().organization == authorization.organization


def test_card_page_and_pdf_show_masked_id_category_validity_and_qr(client, talent_user, heping_staff):
    application = services.application_accept(actor=heping_staff, application_id=submitted(talent_user).pk)
    recognition = application.recognition
    talent = recognition.talent
    full_id = crypto.decrypt(talent.id_number_cipher)
    client.force_login(talent_user)
    html = client.get(f"/recognition/cards/{recognition.pk}/").content.decode()
    assert talent.id_number_masked in html and full_id not in html and "<svg" in html
    assert recognition.serial in html and "C类（领军人才）" in html
    response = client.get(f"/recognition/cards/{recognition.pk}/card.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    for words in ("张三明", talent.id_number_masked, "C类（领军人才）", f"{recognition.valid_until:%Y-%m-%d}",
                  recognition.serial, "人才卡"):
        assert words in text
    assert full_id not in text


def test_verification_shows_validity_and_nothing_more_without_login(client, talent_user, heping_staff):
    application = services.application_accept(actor=heping_staff, application_id=submitted(talent_user).pk)
    recognition = application.recognition
    token = cards.card_token(recognition)
    response = client.get(f"/verify/{token}")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="verdict">有效<' in html
    assert "张*明" in html and "张三明" not in html and f"{recognition.valid_until:%Y-%m-%d}" in html
    assert recognition.talent.id_number_masked not in html and "C类（领军人才）" in html


def test_tampered_or_unknown_tokens_get_a_clear_page_not_a_500(client, talent_user, heping_staff):
    application = services.application_accept(actor=heping_staff, application_id=submitted(talent_user).pk)
    token = cards.card_token(application.recognition)
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = client.get(f"/verify/{tampered}")
    assert response.status_code == 400 and "无效或已被篡改" in response.content.decode()
    assert client.get("/verify/garbage").status_code == 400


def test_a_token_cannot_be_forged_or_guessed_from_the_serial(client, talent_user, heping_staff, settings):
    """The old token was the serial signed with SECRET_KEY (public in development): anyone could make one for any
    serial. Tokens are now random per card: nothing derived from the serial or the site's keys verifies."""
    from django.core import signing

    recognition = services.application_accept(actor=heping_staff,
                                               application_id=submitted(talent_user).pk).recognition
    assert client.get(f"/verify/{cards.card_token(recognition)}").status_code == 200
    serial = recognition.serial
    forgeries = [
        signing.dumps({"s": serial}, salt="rencai.recognition.talent-card", compress=False),  # the old scheme
        signing.dumps({"s": serial}, key="dev-only-insecure-secret-key-change-me-in-production",
                      salt="rencai.recognition.talent-card", compress=False),
        serial, serial.lower(), f"{serial:0>43}"[:43],
    ]
    for forged in forgeries:
        response = client.get(f"/verify/{forged}")
        assert response.status_code == 400 and "无效或已被篡改" in response.content.decode(), forged
        assert client.get(f"/api/recognition/verify/{forged}").status_code == 400
    # Tokens are unrelated to one another and to the serial: 256 random bits each.
    token = cards.card_token(recognition)
    assert len(token) == 43 and serial not in token
    assert Recognition._meta.get_field("card_token").default() != Recognition._meta.get_field("card_token").default()


def test_revoked_and_expired_cards_verify_as_invalid(client, talent_user, heping_staff):
    application = services.application_accept(actor=heping_staff, application_id=submitted(talent_user).pk)
    recognition = application.recognition
    token = cards.card_token(recognition)
    Recognition.objects.filter(pk=recognition.pk).update(valid_until=dt.date.today() - dt.timedelta(days=1),
                                                         valid_from=dt.date.today() - dt.timedelta(days=400))
    assert "无效（已过期）" in client.get(f"/verify/{token}").content.decode()
    Recognition.objects.filter(pk=recognition.pk).update(valid_until=dt.date.today() + dt.timedelta(days=400))
    assert 'id="verdict">有效<' in client.get(f"/verify/{token}").content.decode()
    client.force_login(heping_staff)
    assert client.post(f"/recognition/cards/{recognition.pk}/revoke/",
                       {"confirmed": "1", "reason": "核查不实"}).status_code == 302
    client.logout()
    assert "无效（已撤销）" in client.get(f"/verify/{token}").content.decode()
    client.force_login(talent_user)
    response = client.get(f"/recognition/cards/{recognition.pk}/card.pdf")
    assert response.status_code == 409 and "已撤销" in response.content.decode()


def test_standard_page_is_public_and_marked_as_an_example(client):
    html = client.get("/recognition/standard/").content.decode()
    assert "示例标准，须替换" in html and "A01" in html and "中国科学院院士" in html
    assert "75分" in html and "5年" in html


@pytest.mark.parametrize("role", ["admin", "staff", "leader", "employer", "talent", "expert"])
def test_every_role_reaches_its_recognition_page(client, role, make_user, org):
    user = {
        "admin": lambda: make_user("u", "admin"),
        "staff": lambda: make_user("u", "staff", "210102"),
        "leader": lambda: make_user("u", "leader", "210100"),
        "employer": lambda: make_user("u", "employer", organization=org),
        "talent": lambda: make_user("u", "talent"),
        "expert": lambda: make_user("u", "expert"),
    }[role]()
    client.force_login(user)
    landing = client.get("/recognition/", follow=True)
    assert landing.status_code == 200 and "<h1>" in landing.content.decode()
    nav = client.get("/").content.decode()
    assert ("认定审核" in nav) == (role in ("admin", "staff", "leader"))
    assert ("评审任务" in nav) == (role == "expert")


@pytest.mark.parametrize("action", ["submit", "withdraw", "accept", "return", "reject", "panel", "conclude",
                                    "teleport"])
def test_garbage_posted_to_any_step_is_a_4xx_never_a_500(client, talent_user, heping_staff, action):
    application = submitted(talent_user)
    garbage = {"problem_abc": "坏", "problem_": "x", "experts": ["x", "-1", ""], "reason": "", "note": "",
               "requirement": "zz"}
    for user in (talent_user, heping_staff):
        client.force_login(user)
        asked = client.post(f"/recognition/applications/{application.pk}/{action}/", garbage)  # unconfirmed
        assert asked.status_code < 500
        response = client.post(f"/recognition/applications/{application.pk}/{action}/", garbage | {"confirmed": "1"})
        assert response.status_code < 500
        upload_response = client.post(f"/recognition/applications/{application.pk}/upload/", garbage)
        assert upload_response.status_code in (400, 403, 409, 422)
    assert client.get("/recognition/queue/?page=zz&status=<script>&way=x").status_code == 200
    assert client.get("/recognition/cards/999999/").status_code == 404
    assert client.post("/recognition/apply/", {"talent": "x", "annual_salary": "nan"}).status_code == 403
