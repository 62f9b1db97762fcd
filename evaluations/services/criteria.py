"""Criteria templates and classification scales: the reusable data of an owner agency."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Agency, User
from accounts.selectors import in_user_agency

from ..models import (
    CampaignCriterion,
    ClassificationBand,
    ClassificationScale,
    CriteriaTemplate,
    TemplateCriterion,
    path_segment,
)


@dataclass(frozen=True)
class CriterionSpec:
    """One criterion of a tree to create: a heading with `children`, or a leaf with a max."""

    code: str
    title: str
    max_score: Decimal | None = None
    guidance: str = ""
    evidence_required: bool = False
    floor: Decimal | None = None
    children: tuple["CriterionSpec", ...] = ()


def _spec_check(spec: CriterionSpec) -> None:
    if not spec.title.strip():
        raise ValidationError(_("Every criterion needs a title (%(code)s).") % {"code": spec.code})
    if spec.children and spec.max_score is not None:
        raise ValidationError(
            _("Criterion %(code)s has sub-criteria: its score is their sum, it has no maximum "
              "of its own.") % {"code": spec.code}
        )
    if not spec.children and (spec.max_score is None or spec.max_score <= 0):
        raise ValidationError(
            _("Criterion %(code)s needs a maximum score above zero.") % {"code": spec.code}
        )


def _tree_create(model, specs: Sequence[CriterionSpec], *, parent, prefix: str, **owner) -> None:
    for position, spec in enumerate(specs, start=1):
        _spec_check(spec)
        node = model.objects.create(
            parent=parent, code=spec.code.strip(), title=spec.title.strip(),
            max_score=spec.max_score, guidance=spec.guidance, floor=spec.floor,
            evidence_required=spec.evidence_required, position=position,
            path=prefix + path_segment(position), **owner,
        )
        _tree_create(model, spec.children, parent=node, prefix=node.path, **owner)


def _require_member(*, user: User, agency: Agency) -> None:
    if not in_user_agency(user, agency.pk):
        raise PermissionDenied(_("Only people of %(agency)s may change its evaluation data.")
                               % {"agency": agency.name})


@transaction.atomic
def template_create(
    *, user: User, agency: Agency, name: str, criteria: Sequence[CriterionSpec],
    description: str = "",
) -> CriteriaTemplate:
    """A criteria template of `agency` with its whole tree; refused whole on any bad node."""
    _require_member(user=user, agency=agency)
    if not name.strip():
        raise ValidationError(_("Enter the name of the criteria set."))
    if not criteria:
        raise ValidationError(_("A criteria set needs at least one criterion."))
    template = CriteriaTemplate.objects.create(
        agency=agency, name=name.strip(), description=description
    )
    _tree_create(TemplateCriterion, criteria, parent=None, prefix="", template=template)
    return template


@transaction.atomic
def template_criterion_update(
    *, user: User, criterion: TemplateCriterion, title: str, max_score: Decimal | None,
    guidance: str = "",
) -> TemplateCriterion:
    """Edit a template's criterion. Campaigns already opened keep their own frozen copy."""
    _require_member(user=user, agency=criterion.template.agency)
    has_children = criterion.children.exists()
    _spec_check(CriterionSpec(
        code=criterion.code, title=title, max_score=max_score,
        children=(CriterionSpec(code="", title="-"),) if has_children else (),
    ))
    criterion.title = title.strip()
    criterion.max_score = max_score
    criterion.guidance = guidance
    criterion.save(update_fields=["title", "max_score", "guidance"])
    return criterion


def template_copy_into(*, template: CriteriaTemplate, campaign) -> int:
    """Freeze the template's tree into `campaign` (same codes, paths and maxima).

    Returns the number of criteria copied. Parents are linked in a second pass by path, so
    the copy is a handful of queries whatever the tree's size.
    """
    nodes = list(template.criteria.order_by("path"))
    parent_paths = {node.pk: node.path for node in nodes}
    with_children = {node.parent_id for node in nodes if node.parent_id}
    copies = CampaignCriterion.objects.bulk_create(
        CampaignCriterion(
            campaign=campaign, code=node.code, title=node.title, max_score=node.max_score,
            guidance=node.guidance, evidence_required=node.evidence_required, floor=node.floor,
            position=node.position, path=node.path, is_leaf=node.pk not in with_children,
        )
        for node in nodes
    )
    by_path = {copy.path: copy for copy in copies}
    linked = []
    for node, copy in zip(nodes, copies, strict=True):
        if node.parent_id:
            copy.parent = by_path[parent_paths[node.parent_id]]
            linked.append(copy)
    CampaignCriterion.objects.bulk_update(linked, ["parent"])
    return len(copies)



@transaction.atomic
def scale_create(
    *, user: User, agency: Agency, name: str, bands: Sequence[tuple[Decimal, str]],
    floor_cap_label: str = "",
) -> ClassificationScale:
    """A classification scale: `bands` are (from points, label); the lowest should start at 0.

    `floor_cap_label` names the band a participant cannot rise above when a criterion's
    subtotal is below its floor.
    """
    _require_member(user=user, agency=agency)
    if not bands:
        raise ValidationError(_("A scale needs at least one class."))
    minima = [Decimal(minimum) for minimum, _label in bands]
    if len(set(minima)) != len(minima):
        raise ValidationError(_("Two classes of the scale start at the same score."))
    scale = ClassificationScale.objects.create(agency=agency, name=name.strip())
    created = ClassificationBand.objects.bulk_create(
        ClassificationBand(scale=scale, min_total=minimum, label=label.strip())
        for minimum, label in zip(minima, (label for _m, label in bands), strict=True)
    )
    if floor_cap_label:
        cap = next((band for band in created if band.label == floor_cap_label), None)
        if cap is None:
            raise ValidationError(_("The class “%(label)s” is not in the scale.")
                                  % {"label": floor_cap_label})
        scale.floor_cap_band = cap
        scale.save(update_fields=["floor_cap_band"])
    return scale


def template_paths_rebuild(*, template: CriteriaTemplate) -> None:
    """Recompute the paths of a template's tree from parents and positions (after the admin
    edited it), so that subtree sums keep matching the tree people see."""
    nodes = list(template.criteria.order_by("position", "pk"))
    children: dict[int | None, list[TemplateCriterion]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)

    def walk(parent_id, prefix):
        for index, node in enumerate(children.get(parent_id, []), start=1):
            node.path = prefix + path_segment(index)
            walk(node.pk, node.path)

    walk(None, "")
    TemplateCriterion.objects.bulk_update(nodes, ["path"])
