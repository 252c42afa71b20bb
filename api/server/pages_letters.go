package server

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"baocao/domain"
	"baocao/reports/doc"
	"baocao/reports/letter"
	"baocao/reports/period"
	"baocao/reports/progress"
	textrule "baocao/reports/text"
	"baocao/workflow"
)

// letterFields are the parts of a letter the secretariat writes or, left
// empty, takes as drafted; Kính gửi and Nơi nhận one per line.
func letterFields(p letter.Parts) []draftField {
	auto := "Để trống: dùng bản lập tự động (xem bên dưới)."
	return []draftField{
		{Name: "title", Label: "Trích yếu (sau “V/v”)", Placeholder: auto, Value: p.Title},
		{Name: "unit", Label: "Ký hiệu đơn vị soạn thảo (sau ký hiệu cơ quan, vd. KSTT → UBND-KSTT)", Placeholder: auto, Value: p.Unit},
		{Name: "addressees", Label: "Kính gửi (mỗi dòng một cơ quan)", Placeholder: "Để trống: các cơ quan cần đôn đốc.", Value: strings.Join(p.Addressees, "\n")},
		{Name: "opening", Label: "Đoạn mở đầu (trước danh sách cơ quan)", Placeholder: auto, Value: p.Opening},
		{Name: "request", Label: "Đề nghị (sau danh sách cơ quan)", Placeholder: auto, Value: p.Request},
		{Name: "recipients", Label: "Nơi nhận (mỗi dòng một nơi, không kể “Lưu”)", Placeholder: "Để trống: “Như trên”.", Value: strings.Join(p.Recipients, "\n")},
	}
}

// letterFormParts reads a letter's form.
func letterFormParts(c echo.Context) letter.Parts {
	return letter.Parts{Title: c.FormValue("title"), Unit: c.FormValue("unit"), Opening: c.FormValue("opening"),
		Request: c.FormValue("request"), Addressees: lines(c.FormValue("addressees")), Recipients: lines(c.FormValue("recipients"))}
}

// letterPage shows a letter: its parts to edit (a draft), whom it
// reminds with their tasks, its files, and the form to issue it.
func (s *Server) letterPage(c echo.Context) error {
	plan, l, fields, err := s.letterForm(c)
	if err != nil {
		return err
	}
	return s.showLetter(c, http.StatusOK, plan, l, fields, "", "", "")
}

// letterForm reads the letter of a page's path with its stored parts as
// the form's fields.
func (s *Server) letterForm(c echo.Context) (domain.Plan, domain.Letter, []draftField, error) {
	plan, l, _, err := s.letterTarget(c, "letter")
	if err != nil {
		return plan, l, nil, err
	}
	parts, err := workflow.PartsOf(l)
	return plan, l, letterFields(parts), err
}

// showLetter shows a letter's page; alert above it, dateErr beside the
// issue date, signErr beside the signed file's field.
func (s *Server) showLetter(c echo.Context, status int, plan domain.Plan, l domain.Letter, fields []draftField, alert, dateErr, signErr string) error {
	p, _ := period.Parse(l.Period)
	asOf := s.wf.LetterAsOf(l)
	cl, err := s.wf.ComposeLetter(c.Request().Context(), plan, l, asOf, l.Number, doc.Date{Year: asOf.Year()})
	if err != nil {
		return err
	}
	printed := map[string]string{"title": cl.Parts.Title, "unit": cl.Parts.Unit, "opening": cl.Parts.Opening, "request": cl.Parts.Request,
		"addressees": strings.Join(cl.Parts.Addressees, "\n"), "recipients": strings.Join(cl.Parts.Recipients, "\n")}
	if l.Status == domain.ReportDraft {
		for i := range fields {
			fields[i].Drafted = printed[fields[i].Name]
		}
	}
	// The tasks in plain text, as the plan page shows them.
	late := make([]letter.Late, len(cl.Late))
	for i, a := range cl.Late {
		late[i] = letter.Late{Agency: a.Agency, Tasks: slices.Clone(a.Tasks)}
		for j := range late[i].Tasks {
			late[i].Tasks[j].Content = progress.Plain(late[i].Tasks[j].Content)
		}
	}
	data := map[string]any{"PlanID": plan.ID, "PlanRef": reference(plan), "ID": l.ID, "Period": l.Period, "PeriodName": p.Name(),
		"Issued": l.Status == domain.ReportIssued, "Reference": workflow.LetterReference(l), "IssuedOn": dmyOf(l.IssuedOn),
		"Version": l.Version, "Fields": fields, "Late": late, "AsOf": asOf.Format("02/01/2006"), "DateError": dateErr,
		"CutOff": p.CutOff(plan.Doc.ReportDueDay).Format("02/01/2006"), "Today": time.Now().In(period.Vietnam).Format(time.DateOnly),
		"Symbol": cl.Doc.FullSymbol(), "SHA": l.PDFSHA256}
	if l.Status == domain.ReportIssued {
		base := fmt.Sprintf("/plans/%d/letters/%d", plan.ID, l.ID)
		if data["Signing"], err = s.signingData(c, workflow.DocRef{Kind: workflow.DocLetter, ID: l.ID, PlanID: plan.ID}, base, signErr); err != nil {
			return err
		}
	}
	return s.page(c, status, "letter", "Công văn đôn đốc "+p.Name(), view{Alert: alert, Data: data})
}

// letterAlert words a store error for a letter form, or "".
func letterAlert(err error) string {
	var nl *workflow.NobodyLateError
	switch {
	case errors.As(err, &nl):
		return upperFirst(strings.SplitN(nl.Error(), " / ", 2)[0]) + "."
	case errors.Is(err, domain.ErrStale):
		return "Dự thảo vừa được người khác sửa. Nội dung bạn nhập vẫn ở dưới; hãy tải lại trang để xem bản mới rồi nhập lại."
	case errors.Is(err, domain.ErrIssued):
		return "Công văn đã ban hành, không sửa được."
	}
	return ""
}

// letterCreatePost drafts a letter for the period chosen on the plan page.
func (s *Server) letterCreatePost(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p, err := period.Parse(c.FormValue("period"))
	if err != nil {
		return validation(doc.FieldError{Field: "period", Problem: err.Error()})
	}
	l, err := s.wf.SaveLetter(c.Request().Context(), actorOf(c), workflow.LetterInput{PlanID: id, Period: p})
	back := fmt.Sprintf("/plans/%d?period=%s", id, p.Code())
	if msg := letterAlert(err); msg != "" {
		return s.redirectWith(c, back, msg)
	}
	if err != nil {
		return err
	}
	return s.redirectWith(c, fmt.Sprintf("/plans/%d/letters/%d", id, l.ID), "Đã lập dự thảo công văn đôn đốc "+p.Name()+".")
}

// letterPost saves a letter draft's parts.
func (s *Server) letterPost(c echo.Context) error {
	plan, l, _, err := s.letterTarget(c, "letter")
	if err != nil {
		return err
	}
	parts := letterFormParts(c)
	fields := letterFields(parts)
	p, _ := period.Parse(l.Period)
	_, err = s.wf.SaveLetter(c.Request().Context(), actorOf(c), workflow.LetterInput{PlanID: plan.ID, ID: l.ID, Period: p, Parts: parts, Version: formVersion(c)})
	if pe := answerOf(err); pe != nil && pe.Status == http.StatusUnprocessableEntity {
		for _, fe := range pe.Errors {
			name, _, _ := strings.Cut(strings.TrimPrefix(fe.Field, "parts."), "[")
			for i := range fields {
				if fields[i].Name == name && fields[i].Error == "" {
					fields[i].Error = "Nội dung quá dài."
					if r, ok := runeOf(fe); ok {
						fields[i].Error = textrule.ProblemVI(r)
					} else if name == "unit" {
						fields[i].Error = "Ký hiệu chỉ gồm chữ cái, chữ số và dấu gạch nối (vd. KSTT, VX)."
					}
				}
			}
		}
		return s.showLetter(c, http.StatusUnprocessableEntity, plan, l, fields, "Dự thảo chưa được lưu: hãy sửa các ô được đánh dấu.", "", "")
	}
	if msg := letterAlert(err); msg != "" {
		return s.showLetter(c, http.StatusConflict, plan, l, fields, msg, "", "")
	}
	if err != nil {
		return err
	}
	return s.redirectWith(c, fmt.Sprintf("/plans/%d/letters/%d", plan.ID, l.ID), "Đã lưu dự thảo công văn.")
}

// letterIssuePost issues a letter draft.
func (s *Server) letterIssuePost(c echo.Context) error {
	plan, l, fields, err := s.letterForm(c)
	if err != nil {
		return err
	}
	if c.FormValue("confirm") != "yes" {
		return s.showLetter(c, http.StatusUnprocessableEntity, plan, l, fields, "Công văn chưa được ban hành: hãy đánh dấu ô xác nhận ban hành.", "", "")
	}
	date, derr := doc.ParseDate(c.FormValue("date"))
	if derr != nil || !date.Complete() {
		return s.showLetter(c, http.StatusUnprocessableEntity, plan, l, fields, "Công văn chưa được ban hành.", "Ngày ban hành không hợp lệ.", "")
	}
	issued, err := s.issueLetterAs(c, plan.ID, l.ID, formVersion(c), date)
	if pe := answerOf(err); pe != nil && pe.Status == http.StatusUnprocessableEntity && len(pe.Errors) > 0 {
		return s.showLetter(c, http.StatusUnprocessableEntity, plan, l, fields, "Công văn chưa được ban hành.", vietnamesePart(pe.Errors[0].Problem), "")
	}
	if msg := letterAlert(err); msg != "" {
		return s.showLetter(c, http.StatusConflict, plan, l, fields, msg, "", "")
	}
	if err != nil {
		return err
	}
	return s.redirectWith(c, fmt.Sprintf("/plans/%d/letters/%d", plan.ID, l.ID),
		fmt.Sprintf("Đã ban hành công văn số %s.", workflow.LetterReference(issued.Letter)))
}

// planLetters are a plan's letters as its page lists them, for those who
// may read them (nil for a reporter).
func (s *Server) planLetters(c echo.Context, planID int64) ([]map[string]any, error) {
	if !slices.Contains(auditors, string(actorOf(c).Role)) {
		return nil, nil
	}
	list, err := s.store.ListLetters(c.Request().Context(), planID)
	if err != nil {
		return nil, err
	}
	var out []map[string]any
	for _, l := range list {
		p, _ := period.Parse(l.Period)
		out = append(out, map[string]any{"ID": l.ID, "PeriodName": p.Name(), "Issued": l.Status == domain.ReportIssued,
			"Reference": workflow.LetterReference(l), "IssuedOn": dmyOf(l.IssuedOn),
			"PDF": fmt.Sprintf("/api/v1/plans/%d/letters/%d.pdf", planID, l.ID)})
	}
	return out, nil
}
