"""Property-based fuzzing of the public answering form (/<lang>/consultations/<slug>/answer/).

Whatever is posted — malformed, oversized, wrongly typed or encoded, hostile — the page
answers without a 5xx, stores one whole response or nothing, shows hostile text inert and
stores free text as text (scrubbed of contact details, otherwise verbatim).

Each hypothesis example runs in its own transaction (hypothesis.extra.django.TestCase), so
the database is back to the consultation alone before the next one; the counts are still
compared before and after each example. Every example posts from its own address, so the
per-address rate limit (kept in the cache, which is not rolled back) never hides the
storing path.
"""

from __future__ import annotations

import io
import itertools
import json
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.utils.html import escape
from hypothesis import HealthCheck, event, given
from hypothesis import settings as fuzz_settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from consultations.anonymise import scrub_personal_data
from consultations.demographics import UNDISCLOSED, AgeBand, Sex
from consultations.models import Answer, Consultation, Question, Response, UsedFormToken
from consultations.tests.factories import answer_data, form_token, make_consultation
from consultations.tests.pages import what_the_page_shows
from consultations.tokens import issue_form_token

LANGUAGES = list(settings.LANGUAGE_CODES)
HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '" onmouseover="x',
    "{{ 7*7 }}",
    "{% debug %}",
    "</textarea><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
]
# What must never come back unescaped when a hostile text is shown again.
RAW_MARKUP = ["<script>alert(1)</script>", "<img src=x", '" onmouseover="x']
FORMULAS = [
    '=HYPERLINK("http://evil.example/x","click me")',
    "=HYPERLINK(A1)",
    "+cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(1)",
    "=1+2",
    "\t=cmd",
]
NASTY = [
    "",
    " ",
    "\x00",
    "\x00\x01\x02",
    "\r\n",
    "\ufeff",
    "\u202e",
    "\u200b",
    "0",
    "-1",
    "6",
    "1.5",
    "1e309",
    "NaN",
    "Infinity",
    "9" * 400,
    str(2**64),
    str(-(2**63)),
    "[]",
    "{}",
    "null",
    "true",
    "%00",
    "%ff%fe",
    "../../etc/passwd",
    "' OR 1=1 --",
    "undisclosed",
    *HOSTILE,
    *FORMULAS,
]
REAL_EXTRA_NAMES = ["q0", "q999999", "Q1", "q", "q-1", "q01", "token[]", "csrfmiddlewaretoken", "switch_language"]
TOKEN_KINDS = ["page", "issued", "missing", "empty", "garbage", "other_consultation", "truncated", "list"]
RAW_CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=utf-8",
    "application/x-www-form-urlencoded; charset=latin-1",
    "application/x-www-form-urlencoded; charset=utf-16",
    "application/x-www-form-urlencoded; charset=no-such-charset",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "multipart/form-data; boundary=BoUnDaRy",
    "multipart/form-data; boundary=" + "b" * 300,
    "application/json",
    "text/plain",
    "text/html; charset=utf-8",
    "application/octet-stream",
    "",
    ";;;",
    "x" * 200,
]
LENGTH_MODES = ["actual", "actual", "actual", "missing", "empty", "garbage", "negative", "huge", "larger", "smaller"]

# One client for every example: Django's TestCase builds a new one per example, and each new
# one loads the middleware again, WhiteNoise scanning all static files (most of the runtime).
_browser = Client()
_addresses = (f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}" for n in itertools.count(1))

long_strings = st.builds(
    lambda piece, size: (piece * size)[:size],
    st.text(min_size=1, max_size=8),
    st.integers(min_value=1990, max_value=3000),
)
control_text = st.text(st.characters(max_codepoint=0x1F), max_size=12)
free_text = st.one_of(
    st.text(max_size=60),
    control_text,
    st.text(st.characters(codec="utf-8", categories=["Lo", "Mn", "Cf", "Zs", "So"]), max_size=30),
    long_strings,
)
field_names = st.one_of(st.sampled_from(REAL_EXTRA_NAMES), st.text(max_size=20))


def scalar_values(valid: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(valid),
        st.sampled_from(NASTY),
        free_text,
        st.integers(min_value=-(10**40), max_value=10**40).map(str),
        st.floats().map(repr),
    )


def field_values(valid: list[str]) -> st.SearchStrategy[str | list[str]]:
    scalar = scalar_values(valid)
    return st.one_of(scalar, scalar, st.lists(scalar, max_size=4))


def _last(value: Any) -> str | None:
    if isinstance(value, list):
        return str(value[-1]) if value else None
    return None if value is None else str(value)


def _all(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [] if value is None else [str(value)]


fuzz = fuzz_settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class PublicAnsweringFuzzTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        consultation = make_consultation(slug="fuzz-answering", kinds=("single", "multiple", "rating", "text", "text"))
        # One required question, so that a stored response without its answers is detectable.
        first = consultation.ordered_questions()[0]
        Question.objects.filter(pk=first.pk).update(required=True)
        cls.other = make_consultation(slug="fuzz-other")

    def setUp(self) -> None:
        self.browser = _browser
        self.consultation = Consultation.objects.with_content().get(slug="fuzz-answering")
        self.questions = self.consultation.ordered_questions()
        self.text_question = next(q for q in self.questions if q.kind == "text")
        choice_ids = [str(c.pk) for q in self.questions for c in q.ordered_choices()]
        self.valid_values: dict[str, list[str]] = {
            "age_band": list(AgeBand.values),
            "sex": list(Sex.values),
            "country": ["FR", "fr", "DE", "CN", "EG", "ZZ", "XK", UNDISCLOSED, "FRA", "United Kingdom"],
        }
        for question in self.questions:
            # Every question's pool holds all choice ids, so a choice of one question posted
            # for another is tried as well.
            pool = choice_ids + [str(n) for n in range(0, 7)] + ["Schools should teach us about privacy."]
            self.valid_values[f"q{question.pk}"] = pool

    # --- helpers ---------------------------------------------------------------------------

    def path(self, language: str) -> str:
        return f"/{language}/consultations/{self.consultation.slug}/answer/"

    def token(self, kind: str, language: str, junk: str) -> str | list[str] | None:
        if kind == "page":
            return form_token(self.browser, self.consultation, language)
        if kind == "issued":
            return issue_form_token(self.consultation.pk)
        if kind == "missing":
            return None
        if kind == "empty":
            return ""
        if kind == "garbage":
            return junk
        if kind == "other_consultation":
            return issue_form_token(self.other.pk)
        if kind == "truncated":
            return issue_form_token(self.consultation.pk)[:-3]
        return [issue_form_token(self.consultation.pk), junk]

    def post(self, language: str, data: dict[str, Any], encoding: str):
        address = next(_addresses)
        if encoding == "urlencoded":
            body = urlencode(data, doseq=True)
            return self.browser.post(
                self.path(language), body, content_type="application/x-www-form-urlencoded", REMOTE_ADDR=address
            )
        return self.browser.post(self.path(language), data, REMOTE_ADDR=address)

    def snapshot(self) -> tuple[set, int, int]:
        return set(Response.objects.values_list("pk", flat=True)), Answer.objects.count(), UsedFormToken.objects.count()

    def assert_whole_or_nothing(self, before: tuple[set, int, int]) -> Response | None:
        """Invariant 2: nothing stored, or exactly one new response with consistent answers."""
        responses_before, answers_before, tokens_before = before
        responses_after, answers_after, tokens_after = self.snapshot()
        assert responses_before <= responses_after, "a response disappeared"
        new = responses_after - responses_before
        assert len(new) <= 1, f"{len(new)} responses stored by one submission"
        # No answer without its response, whatever happened.
        assert not Answer.objects.exclude(response__in=Response.objects.all()).exists(), "an orphan answer"
        if not new:
            assert answers_after == answers_before, "answers stored without a response"
            assert tokens_after == tokens_before, "a form token was spent but nothing stored"
            return None
        assert tokens_after == tokens_before + 1, "a response stored without spending its token"
        response = Response.objects.get(pk=next(iter(new)))
        assert response.consultation_id == self.consultation.pk
        rows = list(Answer.objects.filter(response=response).select_related("question", "choice"))
        assert answers_after - answers_before == len(rows), "new answers that point elsewhere"
        by_question: dict[int, list[Answer]] = {}
        for row in rows:
            by_question.setdefault(row.question_id, []).append(row)
            assert row.question.consultation_id == self.consultation.pk, "an answer to another consultation"
            kind = row.question.kind
            if kind in ("single", "multiple"):
                assert row.choice is not None and row.rating is None and row.text == ""
                assert row.choice.question_id == row.question_id, "a choice of another question"
            elif kind == "rating":
                assert row.choice is None and row.text == "" and row.rating is not None
                assert 1 <= row.rating <= 5
            else:
                assert row.choice is None and row.rating is None and row.text != ""
                # The form takes at most 2,000 characters; only scrubbing's placeholders
                # ("[username removed]" for "@ab") can make the stored text longer.
                assert len(row.text) <= settings.FREE_TEXT_MAX_LENGTH or "removed]" in row.text
        for question in self.questions:
            found = by_question.get(question.pk, [])
            if question.required:
                assert found, f"required question {question.pk} stored without its answer"
            if question.kind == "multiple":
                assert len({r.choice_id for r in found}) == len(found)
            else:
                assert len(found) <= 1
        return response

    def assert_matches_submission(self, response: Response, data: dict[str, Any], language: str) -> None:
        """A stored response holds exactly what was posted (texts scrubbed), nothing more."""
        assert response.language == language
        assert response.age_band == (_last(data.get("age_band")) or UNDISCLOSED)
        assert response.sex == (_last(data.get("sex")) or UNDISCLOSED)
        country = (_last(data.get("country")) or "").strip()  # a CharField: stripped
        assert response.country.code == ("" if country == UNDISCLOSED else country)
        expected = []
        for question in self.questions:
            raw = data.get(f"q{question.pk}")
            if question.kind == "multiple":
                expected += [(question.pk, int(v), None, "") for v in sorted(set(_all(raw)))]
                continue
            value = _last(raw)
            if question.kind == "text":
                value = (value or "").strip()
                assert len(value) <= settings.FREE_TEXT_MAX_LENGTH, "an over-long text was accepted"
                if value:
                    text = scrub_personal_data(value, country=response.country.code or None, language=language)
                    expected.append((question.pk, None, None, text))
            elif value:
                if question.kind == "single":
                    expected.append((question.pk, int(value), None, ""))
                else:
                    expected.append((question.pk, None, int(value), ""))
        actual = [
            (a.question_id, a.choice_id, a.rating, a.text)
            for a in Answer.objects.filter(response=response).order_by("question__position", "choice__position")
        ]
        assert sorted(actual, key=repr) == sorted(expected, key=repr)

    @staticmethod
    def record(page, response: Response | None) -> None:
        """Tell --hypothesis-show-statistics which paths the examples reached."""
        event(f"{page.status_code} {what_the_page_shows(page)} {'stored' if response else 'nothing stored'}")

    def assert_inert(self, page) -> None:
        """Invariant 3: hostile markup never comes back as markup."""
        body = page.content.decode("utf-8", errors="replace")
        for raw in RAW_MARKUP:
            assert raw not in body, f"unescaped {raw!r} in the page"

    # --- properties ------------------------------------------------------------------------

    @fuzz
    @given(st.data())
    def test_arbitrary_field_dicts_never_500_and_store_whole_or_nothing(self, data: st.DataObject) -> None:
        language = data.draw(st.sampled_from(LANGUAGES), label="language")
        real = st.sampled_from([n for n in self.valid_values])
        fields = data.draw(
            st.dictionaries(st.one_of(real, real, field_names), st.none(), max_size=12), label="field names"
        )
        # Half the time over a complete valid answer, so that several fuzzed fields together
        # can still reach the storing path.
        posted: dict[str, Any] = answer_data(self.consultation, "") if data.draw(st.booleans(), label="base") else {}
        posted.pop("token", None)
        for name in fields:
            posted[name] = data.draw(field_values(self.valid_values.get(name, NASTY)), label=name)
        kind = data.draw(st.sampled_from(TOKEN_KINDS), label="token kind")
        token = self.token(kind, language, data.draw(free_text, label="junk token"))
        if token is not None:
            posted["token"] = token
        encoding = data.draw(st.sampled_from(["multipart", "urlencoded"]), label="encoding")

        before = self.snapshot()
        page = self.post(language, posted, encoding)
        assert page.status_code < 500
        response = self.assert_whole_or_nothing(before)
        self.record(page, response)
        if response is not None:
            assert page.status_code == 200
            self.assert_matches_submission(response, posted, language)
        self.assert_inert(page)

    @fuzz
    @given(st.data())
    def test_a_valid_answer_with_one_field_fuzzed(self, data: st.DataObject) -> None:
        language = data.draw(st.sampled_from(LANGUAGES), label="language")
        kind = data.draw(st.sampled_from(["page", "issued"]), label="token kind")
        posted = answer_data(self.consultation, self.token(kind, language, ""))
        name = data.draw(st.one_of(st.sampled_from(sorted(posted)), field_names), label="field")
        if name == "token":
            posted[name] = data.draw(field_values(NASTY), label="value")
        else:
            posted[name] = data.draw(field_values(self.valid_values.get(name, NASTY)), label="value")
        encoding = data.draw(st.sampled_from(["multipart", "urlencoded"]), label="encoding")

        before = self.snapshot()
        page = self.post(language, posted, encoding)
        assert page.status_code < 500
        response = self.assert_whole_or_nothing(before)
        self.record(page, response)
        if response is not None:
            assert page.status_code == 200
            self.assert_matches_submission(response, posted, language)
        self.assert_inert(page)

        if data.draw(st.booleans(), label="send again"):
            before = self.snapshot()
            again = self.post(language, posted, encoding)
            assert again.status_code < 500
            assert self.assert_whole_or_nothing(before) is None, "the same form stored twice"

    @fuzz
    @given(st.data())
    def test_hostile_text_is_shown_inert_and_stored_as_text(self, data: st.DataObject) -> None:
        language = data.draw(st.sampled_from(LANGUAGES), label="language")
        posted = answer_data(self.consultation, issue_form_token(self.consultation.pk))
        payload = data.draw(st.sampled_from(HOSTILE), label="payload")
        around = st.one_of(st.just(""), st.text(max_size=20), long_strings)
        text = data.draw(around, label="before") + payload + data.draw(around, label="after")
        field = f"q{self.text_question.pk}"
        posted[field] = text
        # Something else may be hostile or wrong too, so that the page is shown again.
        elsewhere = data.draw(
            st.sampled_from(["", "age_band", "sex", "country", "token", "switch_language", "q999999", payload]),
            label="also hostile",
        )
        if elsewhere:
            posted[elsewhere] = payload
        encoding = data.draw(st.sampled_from(["multipart", "urlencoded"]), label="encoding")

        before = self.snapshot()
        page = self.post(language, posted, encoding)
        assert page.status_code < 500
        self.assert_inert(page)
        response = self.assert_whole_or_nothing(before)
        self.record(page, response)
        if response is None:
            return
        self.assert_matches_submission(response, posted, language)
        stored = Answer.objects.get(response=response, question=self.text_question).text
        assert stored == scrub_personal_data(text.strip(), country=response.country.code or None, language=language)
        rendered = Template("{{ text }}").render(Context({"text": stored}))
        assert rendered == escape(stored)
        for raw in RAW_MARKUP:
            assert raw not in rendered

    @fuzz
    @given(st.data())
    def test_spreadsheet_formulas_are_stored_as_given(self, data: st.DataObject) -> None:
        language = data.draw(st.sampled_from(LANGUAGES), label="language")
        formula = data.draw(st.sampled_from(FORMULAS), label="formula")
        padding = st.sampled_from(["", " ", "\n", "\t", "  \r\n"])
        text = data.draw(padding, label="lead") + formula + data.draw(st.text(max_size=30), label="tail")
        posted = answer_data(
            self.consultation, issue_form_token(self.consultation.pk), **{f"q{self.text_question.pk}": text}
        )
        encoding = data.draw(st.sampled_from(["multipart", "urlencoded"]), label="encoding")

        before = self.snapshot()
        page = self.post(language, posted, encoding)
        assert page.status_code < 500
        response = self.assert_whole_or_nothing(before)
        self.record(page, response)
        if "\x00" in text:
            assert response is None
            return
        assert response is not None, f"a formula-like answer was refused: {page.status_code}"
        self.assert_matches_submission(response, posted, language)
        stored = Answer.objects.get(response=response, question=self.text_question).text
        assert stored == scrub_personal_data(text.strip(), country="FR", language=language)
        # Nothing is neutralised yet: a formula without contact details comes back verbatim.
        if stored == text.strip():
            assert stored.startswith(formula.strip()[0])

    @fuzz
    @given(st.data())
    def test_raw_bodies_wrong_encodings_and_content_types(self, data: st.DataObject) -> None:
        language = data.draw(st.sampled_from(LANGUAGES), label="language")
        kind = data.draw(
            st.sampled_from(
                ["binary", "invalid_utf8", "percent_invalid_utf8", "latin1", "json", "multipart", "many_fields"]
                + ["many_files", "oversized", "nul_names"]
            ),
            label="body kind",
        )
        valid = answer_data(self.consultation, issue_form_token(self.consultation.pk))
        content_type = data.draw(st.sampled_from(RAW_CONTENT_TYPES), label="content type")
        text_field = f"q{self.text_question.pk}"
        if kind == "binary":
            body = data.draw(st.binary(max_size=400), label="bytes")
        elif kind == "invalid_utf8":
            junk = data.draw(st.sampled_from([b"\xff\xfe", b"\xc3", b"\xed\xa0\x80", b"\xc0\xaf", b"\x80\x80"]))
            where = data.draw(st.sampled_from(["value", "name", "token"]), label="where")
            body = urlencode(valid, doseq=True).encode()
            if where == "value":
                body += b"&" + text_field.encode() + b"=abc" + junk + b"def"
            elif where == "name":
                body += b"&q" + junk + b"=1"
            else:
                body = body.replace(b"token=", b"token=" + junk, 1)
        elif kind == "percent_invalid_utf8":
            junk = data.draw(st.sampled_from(["%ff%fe", "%c3", "%ed%a0%80", "%c0%af", "%00", "%e2%82"]))
            body = (urlencode(valid, doseq=True) + f"&{text_field}=x{junk}y&{junk}={junk}").encode()
        elif kind == "latin1":
            body = urlencode({**valid, text_field: "café déjà vu"}, doseq=True, encoding="latin-1").encode()
        elif kind == "json":
            body = json.dumps(valid).encode()
        elif kind == "multipart":
            boundary = data.draw(st.sampled_from(["BoUnDaRy", "", "x" * 100, "--", "a b"]), label="boundary")
            part = data.draw(st.binary(max_size=200), label="part")
            body = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="token"\r\n\r\n{valid["token"]}\r\n'.encode()
                + f'--{boundary}\r\nContent-Disposition: form-data; name="{text_field}"\r\n\r\n'.encode()
                + part
                + data.draw(st.sampled_from([f"\r\n--{boundary}--\r\n".encode(), b"", b"\r\n--"]), label="end")
            )
        elif kind == "many_fields":
            body = ("&".join(f"f{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 5))).encode()
        elif kind == "many_files":
            content_type = "multipart/form-data; boundary=BoUnDaRy"
            body = b"".join(
                b'--BoUnDaRy\r\nContent-Disposition: form-data; name="f%d"; filename="f%d.txt"\r\n\r\nx\r\n' % (n, n)
                for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 5)
            )
            body += b"--BoUnDaRy--\r\n"
        elif kind == "oversized":
            body = urlencode(valid, doseq=True).encode() + b"&pad="
            body += b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1 - len(body))
        else:
            body = urlencode(valid, doseq=True).encode() + b"&%00=%00&a%00b=1"

        mode = data.draw(st.sampled_from(LENGTH_MODES), label="content length")
        extra: dict[str, Any] = {"REMOTE_ADDR": next(_addresses), "wsgi.input": io.BytesIO(body)}
        lengths = {
            "actual": str(len(body)),
            "empty": "",
            "garbage": "12abc",
            "negative": "-1",
            "huge": str(10**12),
            "larger": str(len(body) + 100),
            "smaller": str(len(body) // 2),
        }
        if mode != "missing":
            extra["CONTENT_LENGTH"] = lengths[mode]
        extra["CONTENT_TYPE"] = content_type

        before = self.snapshot()
        # No data: the client then sets neither length nor type, and `extra` decides both.
        page = self.browser.generic("POST", self.path(language), **extra)
        assert page.status_code < 500
        declared = extra.get("CONTENT_LENGTH", "")
        if not (declared.isdigit() and int(declared) <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE):
            assert page.status_code == 400, "a body of unknown or excessive length was read"
        self.record(page, self.assert_whole_or_nothing(before))
        self.assert_inert(page)
