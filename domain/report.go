package domain

import "time"

// Report statuses. A period has at most one draft and at most one issued
// report at a time; a replaced report keeps its number and frozen files.
const (
	ReportDraft    = "draft"
	ReportIssued   = "issued"
	ReportReplaced = "replaced"
)

// Report is a periodic report's record: a draft, an issued report with
// its frozen files, or a replaced one (issued, then replaced by another,
// Decree 30/2020/NĐ-CP Art. 18).
type Report struct {
	ID        int64  `json:"id"`
	PlanID    int64  `json:"plan_id"`
	Period    string `json:"period"`
	Title     string `json:"title,omitempty"`
	Narrative string `json:"-"` // JSON, see report.Narrative
	Status    string `json:"status"`
	Number    int    `json:"number,omitempty"`
	IssuedOn  string `json:"issued_on,omitempty"`
	// AsOf is the day whose data the report shows: set by the secretariat
	// on a draft ("" means the default, period.DefaultAsOf), the issue date
	// once issued.
	AsOf string `json:"as_of,omitempty"`
	// Replaces is the id of the issued report this one replaces;
	// ReplacedBy, of a replaced report, its successor's.
	Replaces   int64 `json:"replaces,omitempty"`
	ReplacedBy int64 `json:"replaced_by,omitempty"`
	// ReopenedAt is when the secretariat reopened the period of an issued
	// report: its progress is open again, the report stays issued.
	ReopenedAt *time.Time `json:"reopened_at,omitempty"`
	PDFSHA256  string     `json:"pdf_sha256,omitempty"`
	XLSXSHA256 string     `json:"xlsx_sha256,omitempty"`
	Version    int64      `json:"version"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

// Locks reports whether the report locks its period's progress: issued
// and not reopened.
func (r Report) Locks() bool { return r.Status == ReportIssued && r.ReopenedAt == nil }

// Draft is a report draft's content. AsOf is "YYYY-MM-DD" or "" for the
// default; nil leaves the stored one.
type Draft struct {
	PlanID           int64
	Period           string
	Title, Narrative string
	AsOf             *string
	// Version is the draft's version; 0 creates the draft.
	Version int64
}

// IssueRequest says how to issue a report.
type IssueRequest struct {
	PlanID   int64
	Period   string
	Version  int64
	AgencyID int64 // the issuing agency, whose numbering is used
	Kind     string
	Date     time.Time
	// Render makes the frozen files with the number given.
	Render func(number int) (pdf, xlsx []byte, err error)
}
