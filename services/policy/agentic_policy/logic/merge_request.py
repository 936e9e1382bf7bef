"""Comment an evaluation's findings on the merge request codegen opened (through the Git host port).

The comment is the Markdown report; the Git host posts the same body once, so a redelivered task
does not comment twice. A Git host failure is logged and does not change the policy decision.
"""

from __future__ import annotations

import logging

from agentic_common.events.codegen import CodegenOutputs

from agentic_policy.logic.compliance_report import report_markdown
from agentic_policy.logic.decisions import DecisionRecord
from agentic_policy.logic.evaluate import Evaluation
from agentic_policy.ports import MergeRequestCommenter

log = logging.getLogger(__name__)


def comment_findings(
    commenter: MergeRequestCommenter,
    codegen: CodegenOutputs,
    evaluation: Evaluation,
    decision: DecisionRecord,
) -> bool:
    """True when the comment was posted."""
    if codegen.merge_request_iid is None:
        return False
    body = report_markdown(evaluation, decision, codegen.service_name)
    try:
        commenter.comment(codegen.service_name, codegen.merge_request_iid, body)
    except RuntimeError as exc:  # GitHostError (a RuntimeError): the decision stands without the comment
        log.warning("could not comment on %s!%s: %s", codegen.service_name, codegen.merge_request_iid, exc)
        return False
    return True
