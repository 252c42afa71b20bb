package domain

import "time"

// The stages of a document's signatures, in the order Decree 30 sets
// (art. 32.2: the organisation signs only over the competent person's
// signature).
const (
	StagePerson       = "person"
	StageOrganisation = "organisation"
)

// SignedFile is a signed file of an issued document (migration 00010),
// frozen with its SHA-256 and the SHA-256 of the file it signs over.
type SignedFile struct {
	ID         int64     `json:"id"`
	DocKind    string    `json:"doc_kind"`
	DocID      int64     `json:"doc_id"`
	Stage      string    `json:"stage"`
	PDF        []byte    `json:"-"`
	SHA256     string    `json:"sha256"`
	OverSHA256 string    `json:"over_sha256"`
	Signer     string    `json:"signer"`
	SignedAt   time.Time `json:"signed_at"`
	CreatedBy  string    `json:"created_by"`
	CreatedAt  time.Time `json:"created_at"`
}

// IssuedMatch is a document baocao issued or signed, found by the
// SHA-256 of its file.
type IssuedMatch struct {
	// DocKind is "report", "letter" (a reminder letter, công văn), "plan"
	// (a plan's document) or "plan-appendix" (its appendix in a separate
	// file).
	DocKind string `json:"doc_kind"`
	DocID   int64  `json:"doc_id"`
	PlanID  int64  `json:"plan_id,omitempty"`
	Period  string `json:"period,omitempty"`
	Number  int    `json:"number,omitempty"`
	// Reference is the document's number and symbol, "01/UBND-KSTT"
	// (a letter's here; a report's is set by workflow.SignService.Verify,
	// from its plan).
	Reference string `json:"reference,omitempty"`
	// Stage is "issued", or the signed file's stage.
	Stage string `json:"stage"`
	// Reopened: the plan issued (DocKind "plan" or "plan-appendix") was
	// reopened since; the file is no longer its current issue.
	Reopened bool `json:"reopened,omitempty"`
}
