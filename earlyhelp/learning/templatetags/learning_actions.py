"""Actions on other apps' pages, so that their templates only print.

{% load learning_actions %}
{% audit_actions audit as panel %}   panel.actions: the actions raised from the audit, each with
                                     `may_see`; panel.may_raise: whether this person may raise one
"""

from django import template

from .. import actions

register = template.Library()


@register.simple_tag(takes_context=True)
def audit_actions(context, audit):
    """For the QA lead and the audit's auditor only (who may raise actions from it); nothing
    for anyone else who reads the audit. Two queries."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not (actions.is_qa_lead(user) or user.pk == audit.auditor_id):
        return {"shown": False}
    may_raise = actions.may_raise(user, audit)
    raised = list(audit.actions.select_related("owner", "agency__manager"))
    for action in raised:
        action.may_see = actions.may_see(user, action)
    return {"shown": True, "actions": raised, "may_raise": may_raise}
