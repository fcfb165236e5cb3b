"""Learning themes on other apps' pages, so that their templates only print.

{% load learning %}
{% audit_themes audit as themes %}          the themes tagged on the audit (one query)
{% may_tag_themes audit as may_tag %}       whether the signed-in person may change them
"""

from django import template
from django.db.models.functions import Lower

from .. import services

register = template.Library()


@register.simple_tag
def audit_themes(audit):
    """The audit's learning themes by name, retired ones included (they stay on the audit)."""
    return list(audit.learning_themes.order_by(Lower("name")))


@register.simple_tag(takes_context=True)
def may_tag_themes(context, audit):
    request = context.get("request")
    return request is not None and services.may_tag(request.user, audit)
