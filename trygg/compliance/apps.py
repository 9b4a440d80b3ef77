from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "trygg.compliance"
    label = "compliance"
    verbose_name = _("Efterlevnad och bedömningar")

    def ready(self) -> None:
        from trygg.cameras import hooks
        from trygg.cameras import services as camera_services
        from trygg.compliance import checklist, decisions

        if checklist.intrusion_change_check not in hooks.change_checks:
            hooks.change_checks.append(checklist.intrusion_change_check)
        if checklist.activation_gate not in camera_services.pre_move_checks:
            camera_services.pre_move_checks.append(checklist.activation_gate)
        decisions.connect_signals()
        from trygg.compliance.history import describe_assessment_event
        from trygg.core.history import EVENT_DESCRIBERS

        for event in ("submitted", "withdrawn", "advised", "approved", "rejected", "new_version"):
            EVENT_DESCRIBERS[f"assessment.{event}"] = describe_assessment_event
        from trygg.compliance.panels import camera_panel, refusal_help

        if camera_panel not in hooks.detail_panels:
            hooks.detail_panels.append(camera_panel)
        if refusal_help not in hooks.refusal_help:
            hooks.refusal_help.append(refusal_help)
        from trygg.compliance import retention

        retention.register_attachments()
        from trygg.compliance import stored

        stored.connect_signals()
