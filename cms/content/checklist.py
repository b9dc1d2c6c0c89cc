"""The 保密审查 checklist of the confidentiality stage: what the reviewer ticks, and how the ticks become the
``confidentiality_checked`` declaration the engine's condition requires.

The ticks travel with the transition as the input ``checklist`` (a list of codes) and are stored in the
history entry's ``inputs`` (who ticked them and when are the entry's actor and time).
"""
from cms.errors import ValidationError

CHECKLIST = (
    ("no_secrets", "不涉及国家秘密、工作秘密"),
    ("no_private", "不涉及商业秘密、个人隐私，或已取得权利人同意"),
    ("not_internal", "不属于内部事务信息或过程性信息"),
    ("disclosure_ok", "公开属性认定正确（主动公开）"),
)
CHECKLIST_LABELS = dict(CHECKLIST)
CODES = tuple(code for code, _ in CHECKLIST)


def resolve(declared, ticked):
    """``(confidentiality_checked, checklist)`` from the declaration checkbox and the ticked items.

    Every item ticked is the declaration. The declaration without any tick (older clients, scripts) covers
    every item it states. The declaration with some items left unticked is refused: the reviewer said both.
    """
    ticked = list(ticked or [])
    unknown = [code for code in ticked if code not in CHECKLIST_LABELS]
    if unknown:
        raise ValidationError("保密审查清单中有无效的项目", fields={"checklist": "invalid"})
    ticked = [code for code in CODES if code in ticked]
    if declared and not ticked:
        return True, list(CODES)
    complete = len(ticked) == len(CODES)
    if declared and not complete:
        missing = "；".join(CHECKLIST_LABELS[c] for c in CODES if c not in ticked)
        raise ValidationError(f"保密审查清单尚未逐项勾选：{missing}", fields={"checklist": "incomplete"})
    return complete, ticked


def checklist_inputs(declared, ticked):
    """Transition inputs for the confidentiality stage (empty when nothing was declared or ticked)."""
    checked, codes = resolve(declared, ticked)
    inputs = {}
    if checked:
        inputs["confidentiality_checked"] = True
    if codes:
        inputs["checklist"] = codes
    return inputs


def labelled(codes):
    """``[{code, label}]`` of stored ticks, in checklist order."""
    codes = codes or []
    return [{"code": code, "label": CHECKLIST_LABELS[code]} for code in CODES if code in codes]
