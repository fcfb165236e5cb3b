"""Private links never reach the log: a family's feedback token and a staff survey's code are
replaced before a record is written."""

import logging

from earlyhelp.core.log_filters import RedactPrivateLinks, redact

TOKEN = "7K3QX9M2PD4HV8WT6ZR1NC5JB0"


def record(message, *args):
    return logging.LogRecord(
        "django.security.csrf", logging.WARNING, __file__, 1, message, args, None
    )


def test_a_refused_csrf_check_on_a_feedback_link_is_logged_without_the_token():
    entry = record("Forbidden (%s): %s", "CSRF cookie not set.", f"/feedback/{TOKEN}/")
    assert RedactPrivateLinks().filter(entry) is True
    assert TOKEN not in entry.getMessage()
    assert entry.getMessage() == "Forbidden (CSRF cookie not set.): /feedback/[private link]/"


def test_staff_survey_codes_are_redacted_too():
    assert (
        redact("GET /staff-survey/r/abc_DEF-123/ 500") == "GET /staff-survey/r/[private link]/ 500"
    )


def test_the_public_pages_without_secrets_are_left_alone():
    for path in ("/feedback/", "/feedback/thank-you/", "/feedback/too-many-attempts/"):
        assert redact(f"GET {path}") == f"GET {path}"


def test_the_service_logs_through_the_filter():
    from config.settings import base

    assert base.LOGGING["handlers"]["console"]["filters"] == ["private_links"]


def test_weasyprints_warnings_about_chart_svg_styles_are_dropped_and_others_kept():
    from earlyhelp.core.log_filters import SvgPropertyNoise

    def weasyprint(message):
        return logging.LogRecord("weasyprint", logging.WARNING, __file__, 1, message, (), None)

    noise = SvgPropertyNoise()
    for property_text in ("fill: #1d70b8", "stroke-width: 0.8", "text-anchor: end"):
        message = f"Ignored `{property_text}` at 3:4, unknown property."
        assert noise.filter(weasyprint(message)) is False
    assert noise.filter(weasyprint("Ignored `colour: red` at 3:4, unknown property.")) is True
    assert noise.filter(weasyprint("Failed to load image at 'data:x'")) is True


def test_the_service_settings_attach_the_svg_filter_to_weasyprints_logger():
    # The test settings log plainly; the service's own (base) settings are checked here.
    from django.utils.module_loading import import_string

    from config.settings import base
    from earlyhelp.core.log_filters import SvgPropertyNoise

    names = base.LOGGING["loggers"]["weasyprint"]["filters"]
    assert [import_string(base.LOGGING["filters"][n]["()"]) for n in names] == [SvgPropertyNoise]
