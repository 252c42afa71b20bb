package domain

import "time"

// Letter is a reminder letter's record (công văn đôn đốc): a draft with
// the parts the secretariat writes, or an issued letter with its number,
// symbol, date and frozen files. Status is ReportDraft or ReportIssued.
type Letter struct {
	ID     int64  `json:"id"`
	PlanID int64  `json:"plan_id"`
	Period string `json:"period"`
	Parts  string `json:"-"` // JSON, see letter.Parts
	Status string `json:"status"`
	Number int    `json:"number,omitempty"`
	// Symbol is the symbol printed after the number ("UBND-KSTT"), frozen
	// when the letter is issued.
	Symbol     string    `json:"symbol,omitempty"`
	IssuedOn   string    `json:"issued_on,omitempty"`
	PDFSHA256  string    `json:"pdf_sha256,omitempty"`
	XLSXSHA256 string    `json:"xlsx_sha256,omitempty"`
	CreatedBy  string    `json:"created_by,omitempty"`
	Version    int64     `json:"version"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// LetterDraft is a letter draft's content: a new one (ID 0) of a plan's
// period, or the parts of draft ID at its version.
type LetterDraft struct {
	PlanID    int64
	ID        int64
	Period    string
	Parts     string
	CreatedBy string
	Version   int64
}

// LetterIssue says how to issue a letter draft.
type LetterIssue struct {
	PlanID   int64
	ID       int64
	Version  int64
	AgencyID int64 // the issuing agency, whose numbering is used
	Kind     string
	Symbol   string // printed after the number
	Date     time.Time
	// Render makes the frozen files with the number given.
	Render func(number int) (pdf, xlsx []byte, err error)
}
