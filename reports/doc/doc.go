// Package doc is the format-neutral model of a Vietnamese official document
// (Decree 30/2020/NĐ-CP): a plan or report with its header, body, recipients,
// signature and appendix task tables. Both renderers (PDF and Excel) and the
// API read this model; its JSON form is the one the fixtures and API accept.
package doc

// Document is one official document: a Kế hoạch, a Báo cáo, a Quyết định…
type Document struct {
	// Kind is the Decree-30 abbreviation of the document kind: KH, BC, QĐ…
	Kind string `json:"kind"`
	// Number is the registered number; 0 means a draft without a number.
	Number int `json:"number,omitempty"`
	// Symbol overrides the derived symbol (kind + "-" + agency symbol).
	Symbol string `json:"symbol,omitempty"`
	// Draft marks a document not yet issued: it prints "DỰ THẢO".
	Draft bool `json:"draft,omitempty"`
	// Date is the issue date: "2024-01-05", or for a draft "2024-01" or "2024".
	Date Date `json:"date"`
	// Agency is the issuing agency.
	Agency Agency `json:"agency"`
	// Issuer names the issuer in "của …" lines when it is not the agency
	// itself, e.g. "Chủ tịch UBND tỉnh" for a chairman's decision.
	Issuer string `json:"issuer,omitempty"`
	// Title is the summary (trích yếu) printed under the kind.
	Title string `json:"title"`
	// Authority is the line naming who decides, printed centred bold before
	// the legal bases of a Quyết định ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH").
	Authority string `json:"authority,omitempty"`
	// LegalBases are the căn cứ lines, printed in italics.
	LegalBases []string `json:"legal_bases,omitempty"`
	// Body is the text in Markdown (headings ##, ###, paragraphs, lists,
	// **bold**, *italic*).
	Body string `json:"body"`
	// Addressees are the "Kính gửi:" of a document sent to named bodies
	// (a report sent upward), printed under the title.
	Addressees []string `json:"addressees,omitempty"`
	// Recipients are the "Nơi nhận" items without the leading dash or the
	// trailing punctuation; Archive is what follows "Lưu:" ("VT, KSTT").
	Recipients []string `json:"recipients,omitempty"`
	Archive    string   `json:"archive,omitempty"`
	// Signature is the signature block; nil for a text attached to a
	// decision, which the decision's signer signs.
	Signature *Signature `json:"signature,omitempty"`
	// ReportDueDay is the day of a reporting period's last month before
	// which lead agencies report (Lai Châu: 16, "trước ngày 16 tháng 3, 6,
	// 9, 12"); 0 means the default, the 15th (Decree 09/2019/NĐ-CP).
	ReportDueDay int `json:"report_due_day,omitempty"`
	// Appendices are printed after the document, each from a new page.
	Appendices []Appendix `json:"appendices,omitempty"`
	// PromulgatedBy is the decision that issues this document when it is
	// attached to one ("Ban hành kèm theo Quyết định số …"). It is printed
	// first, and this document follows it without a number of its own.
	PromulgatedBy *Document `json:"promulgated_by,omitempty"`
}

// Agency is an issuing agency as the header prints it.
type Agency struct {
	// Name is the full name: "Ủy ban nhân dân tỉnh Lai Châu".
	Name string `json:"name"`
	// ShortName is used in "của …" lines when set: "UBND tỉnh Lai Châu".
	ShortName string `json:"short_name,omitempty"`
	// Header holds the header lines in capitals when the name must break at a
	// given place ("ỦY BAN NHÂN DÂN", "TỈNH LAI CHÂU"); default: Name in caps.
	Header []string `json:"header,omitempty"`
	// Symbol is the agency part of document symbols: UBND, SNV, SCT.
	Symbol string `json:"symbol"`
	// Place is the place name of the date line: "Lai Châu".
	Place string `json:"place"`
	// Parent is the governing agency (cơ quan chủ quản), printed upright
	// above the issuing agency.
	Parent *Agency `json:"parent,omitempty"`
}

// Signature is the signature block on the right under the body.
type Signature struct {
	// Authority lines in capitals: "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH",
	// "PHÓ CHỦ TỊCH".
	Authority []string `json:"authority"`
	// Signer is the signer's full name.
	Signer string `json:"signer"`
}

// Appendix is a Phụ lục with its table of tasks.
type Appendix struct {
	// Heading overrides "Phụ lục" / "Phụ lục I" (normal case, Decree 30 App. I III.1(b)).
	Heading string `json:"heading,omitempty"`
	// Title is printed in capitals under the heading.
	Title string `json:"title"`
	// Columns says which task fields the table shows, in order, with their
	// header labels and relative widths; default: DefaultColumns.
	Columns []Column `json:"columns,omitempty"`
	// AgencyList is how a cell with several agencies lists them: "dash"
	// ("- A;" one per line, the default) or "number" ("1. A" one per line).
	AgencyList string `json:"agency_list,omitempty"`
	// Landscape forces the page orientation; by default an appendix with
	// more than four columns is landscape.
	Landscape *bool `json:"landscape,omitempty"`
	// TrackOnly marks tasks kept for progress tracking that the plan as
	// issued does not print as an appendix (the plan states them in its
	// body): they are reported on, never printed.
	TrackOnly bool   `json:"track_only,omitempty"`
	Tasks     []Task `json:"tasks"`
}

// Column is one column of an appendix table.
type Column struct {
	// Field is one of stt, content, lead, cooperating, output, deadline, note.
	Field string `json:"field"`
	// Label is the header text as the plan prints it.
	Label string `json:"label"`
	// Width is the relative width (any unit; the table is scaled to fit).
	Width float64 `json:"width,omitempty"`
}

// Task is one row of an appendix table.
type Task struct {
	// ID identifies a stored task (0 for a new one); the API uses it to
	// keep a task's identity, and its progress reports, across edits.
	ID int64 `json:"id,omitempty"`
	// Content is the task in Markdown (paragraphs, dash lists, italics).
	Content string `json:"content"`
	// Lead and Cooperating are agency names as the plan writes them.
	Lead        []string `json:"lead"`
	Cooperating []string `json:"cooperating,omitempty"`
	// Output is the expected result or product, in Markdown.
	Output string `json:"output,omitempty"`
	// Deadline keeps the plan's own words; Parse gives their meaning.
	Deadline Deadline `json:"deadline"`
	// Note is a free remark column (ghi chú), in Markdown.
	Note string `json:"note,omitempty"`
}

// Task fields that a Column may show.
const (
	FieldSTT         = "stt"
	FieldContent     = "content"
	FieldLead        = "lead"
	FieldCooperating = "cooperating"
	FieldOutput      = "output"
	FieldDeadline    = "deadline"
	FieldNote        = "note"
)

// FieldWidths are the relative widths of the task fields' columns when a
// plan gives none: the one column specification every renderer reads.
var FieldWidths = map[string]float64{
	FieldSTT: 5, FieldContent: 34, FieldLead: 15, FieldCooperating: 17, FieldOutput: 17, FieldDeadline: 12, FieldNote: 12,
}

// DefaultColumns is the table of a plan's appendix as most plans print it.
func DefaultColumns() []Column {
	cols := []Column{
		{Field: FieldSTT, Label: "STT"},
		{Field: FieldContent, Label: "Nội dung"},
		{Field: FieldLead, Label: "Cơ quan chủ trì"},
		{Field: FieldCooperating, Label: "Cơ quan phối hợp"},
		{Field: FieldOutput, Label: "Kết quả/Sản phẩm"},
		{Field: FieldDeadline, Label: "Thời gian hoàn thành"},
	}
	for i := range cols {
		cols[i].Width = FieldWidths[cols[i].Field]
	}
	return cols
}
