package doc

import "strings"

// Warning is something that keeps a document from being signed as it
// stands: a code (for headers and programs) and what to tell a clerk.
type Warning struct {
	Code       string `json:"code"`
	Vietnamese string `json:"message"`
}

// Warnings are what keeps a document from being signed as it stands: an
// issued number with an incomplete date, no signature block, no "Nơi
// nhận", an appendix the body never mentions (Decree 30, App. I, Part
// III.1(a)), a document without a number that is not marked as a draft.
// They never block a render: a draft may be incomplete.
func (d *Document) Warnings() []Warning {
	var w []Warning
	add := func(code, vi string) { w = append(w, Warning{Code: code, Vietnamese: vi}) }
	signed := d
	if d.PromulgatedBy != nil { // the decision is what is numbered and signed
		signed = d.PromulgatedBy
	}
	switch {
	case signed.Number > 0 && !signed.Date.Complete():
		add("incomplete-date", "Văn bản đã có số nhưng ngày ban hành chưa đủ ngày, tháng, năm.")
	case signed.Number == 0 && !signed.Draft:
		add("unmarked-draft", "Văn bản chưa có số nhưng không ghi “DỰ THẢO”.")
	}
	if signed.Signature == nil {
		add("no-signature", "Văn bản không có phần chữ ký (quyền hạn, chức vụ, họ tên người ký).")
	}
	if len(signed.Recipients) == 0 && signed.Archive == "" {
		add("no-recipients", "Văn bản không có phần “Nơi nhận”.")
	}
	if len(d.Printed().Appendices) > 0 && !strings.Contains(strings.ToLower(d.Body), "phụ lục") {
		add("appendix-not-cited", "Nội dung văn bản không dẫn chiếu đến phụ lục kèm theo (Nghị định 30/2020/NĐ-CP, Phụ lục I, Phần III.1(a)).")
	}
	return w
}

// WarningCodes lists the codes: "no-signature, no-recipients".
func WarningCodes(w []Warning) string {
	codes := make([]string, len(w))
	for i, x := range w {
		codes[i] = x.Code
	}
	return strings.Join(codes, ", ")
}
