// An approval with approve / reject: the API decides who may (approvers, four eyes) and says why not.
import { useState } from "react";
import type { ApiClient } from "../api";
import type { Approval } from "../types";

export function ApprovalPanel({ api, approval, onDecided }: { api: ApiClient; approval: Approval; onDecided: () => void }) {
  const [comment, setComment] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const decide = async (decision: "approve" | "reject") => {
    if (!comment.trim()) {
      setMessage("a comment is required: say why (e.g. the change ticket)");
      return;
    }
    try {
      const result = await api.decide(approval.approvalId, decision, comment);
      setMessage(`${result.status} by ${result.decidedBy ?? "you"}`);
      onDecided();
    } catch (error) {
      setMessage(`refused: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  return (
    <div className="panel approval" data-approval={approval.approvalId} data-status={approval.status}>
      <h3>Approval {approval.approvalId}: {approval.status}</h3>
      <p>{approval.summary}</p>
      <p>
        Rule: {approval.rule.text}. Requested by {approval.requestedBy}.
      </p>
      {approval.status === "pending" && (
        <p>
          <input aria-label="comment" placeholder="comment (required: the change ticket)" required value={comment} onChange={(e) => setComment(e.target.value)} />
          <button onClick={() => decide("approve")}>Approve</button>
          <button onClick={() => decide("reject")}>Reject</button>
        </p>
      )}
      {message && <p role="status" className="decision-result">{message}</p>}
      <ul>
        {approval.audit.map((entry) => (
          <li key={`${entry.at}-${entry.action}`}>
            {entry.at} {entry.action} by {entry.actor}
            {entry.comment ? `: ${entry.comment}` : ""}
          </li>
        ))}
      </ul>
    </div>
  );
}
