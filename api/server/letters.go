package server

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"baocao/domain"
	"baocao/reports/doc"
	"baocao/reports/letter"
	"baocao/reports/period"
	"baocao/workflow"
)

// letterJSON is a reminder letter as the API shows it.
type letterJSON struct {
	domain.Letter
	PeriodName string       `json:"period_name"`
	Reference  string       `json:"reference,omitempty"` // "01/UBND-KSTT"
	Parts      letter.Parts `json:"parts"`
	// Printed are the parts as the letter prints them (the secretariat's,
	// else drafted from the data) and Late the agencies it reminds with
	// their tasks: a draft's as of today, an issued letter's as of its
	// date. Only on a letter read alone.
	Printed *letter.Parts     `json:"printed,omitempty"`
	Late    []letter.Late     `json:"late,omitempty"`
	Links   map[string]string `json:"links"`
}

// letterOut is the API's view of a letter; full adds what it prints and
// whom it reminds (a board computed).
func (s *Server) letterOut(c echo.Context, plan domain.Plan, l domain.Letter, full bool) (letterJSON, error) {
	p, _ := period.Parse(l.Period)
	out := letterJSON{Letter: l, PeriodName: p.Name(), Reference: workflow.LetterReference(l)}
	var err error
	if out.Parts, err = workflow.PartsOf(l); err != nil {
		return out, err
	}
	base := fmt.Sprintf("/api/v1/plans/%d/letters/%d", l.PlanID, l.ID)
	out.Links = map[string]string{"self": base, "pdf": base + ".pdf", "xlsx": base + ".xlsx", "page": fmt.Sprintf("/plans/%d/letters/%d", l.PlanID, l.ID)}
	if l.Status == domain.ReportDraft {
		out.Links["issue"] = base + "/issue"
		out.Links["docx"] = base + ".docx" // a draft's working copy; an issued letter has none
	}
	if full {
		asOf := s.wf.LetterAsOf(l)
		cl, err := s.wf.ComposeLetter(c.Request().Context(), plan, l, asOf, l.Number, doc.Date{Year: asOf.Year()})
		if err != nil {
			return out, err
		}
		out.Printed, out.Late = &cl.Parts, cl.Late
	}
	return out, nil
}

// letterTarget reads the plan, the letter and the format ("" for the
// record) of a letter route's path: /letters/3, /letters/3.pdf.
func (s *Server) letterTarget(c echo.Context, param string) (domain.Plan, domain.Letter, string, error) {
	name, format := splitFormat(c.Param(param))
	lid, err := strconv.ParseInt(name, 10, 64)
	if err != nil || lid <= 0 {
		return domain.Plan{}, domain.Letter{}, "", validation(doc.FieldError{Field: param,
			Problem: fmt.Sprintf("phải là mã công văn, có thể kèm .pdf, .xlsx hoặc .docx, như 3 hoặc 3.pdf / want a letter id, optionally with .pdf, .xlsx or .docx, such as 3 or 3.pdf, not %q", c.Param(param))})
	}
	plan, err := s.pathPlan(c)
	if err != nil {
		return plan, domain.Letter{}, "", err
	}
	l, err := s.store.GetLetter(c.Request().Context(), plan.ID, lid)
	return plan, l, format, err
}

func (s *Server) listLetters(c echo.Context) error {
	plan, err := s.pathPlan(c)
	if err != nil {
		return err
	}
	list, err := s.store.ListLetters(c.Request().Context(), plan.ID)
	if err != nil {
		return err
	}
	items := []letterJSON{}
	for _, l := range list {
		out, err := s.letterOut(c, plan, l, false)
		if err != nil {
			return err
		}
		items = append(items, out)
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

// letterInput is a letter draft as the API takes it.
type letterInput struct {
	// Period is the reporting period of a new letter ("2024-Q1").
	Period  string       `json:"period,omitempty"`
	Version int64        `json:"version,omitempty"`
	Parts   letter.Parts `json:"parts"`
}

// createLetter makes a letter draft for a period.
func (s *Server) createLetter(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in letterInput
	if err := s.decodeStrict(c, &in); err != nil {
		return err
	}
	p, err := period.Parse(in.Period)
	if err != nil {
		return validation(doc.FieldError{Field: "period", Problem: err.Error()})
	}
	return s.savedLetter(c, http.StatusCreated)(s.wf.SaveLetter(c.Request().Context(), actorOf(c), workflow.LetterInput{PlanID: id, Period: p, Parts: in.Parts}))
}

// savedLetter answers a letter just stored.
func (s *Server) savedLetter(c echo.Context, status int) func(domain.Letter, error) error {
	return func(l domain.Letter, err error) error {
		if err != nil {
			return err
		}
		plan, err := s.store.GetPlan(c.Request().Context(), l.PlanID)
		if err != nil {
			return err
		}
		out, err := s.letterOut(c, plan, l, true)
		if err != nil {
			return err
		}
		c.Response().Header().Set("ETag", etagOf(l.Version))
		if status == http.StatusCreated {
			c.Response().Header().Set("Location", out.Links["self"])
		}
		return c.JSON(status, out)
	}
}

// getLetter answers a letter's record, or its file: an issued letter's
// frozen bytes (PDF, XLSX; no DOCX), a draft rendered now with "DỰ
// THẢO" (also as DOCX, the clerk's working copy).
func (s *Server) getLetter(c echo.Context) error {
	plan, l, format, err := s.letterTarget(c, "name")
	if err != nil {
		return err
	}
	if format == "" {
		out, err := s.letterOut(c, plan, l, true)
		if err != nil {
			return err
		}
		c.Response().Header().Set("ETag", etagOf(l.Version))
		return c.JSON(http.StatusOK, out)
	}
	p, _ := period.Parse(l.Period)
	if l.Status == domain.ReportIssued {
		if format == string(workflow.FormatDOCX) {
			return notFound(fmt.Sprintf("letter %s is issued: its frozen files are .pdf and .xlsx; a DOCX is made from a draft only; file",
				workflow.LetterReference(l)))
		}
		ctx := c.Request().Context()
		data, err := s.store.LetterFile(ctx, plan.ID, l.ID, format)
		if err != nil {
			return err
		}
		if format == string(workflow.FormatPDF) {
			// Once signed, the signed file (README "Digital signatures and PDF/A").
			if data, _, err = s.signer.Current(ctx, workflow.DocRef{Kind: workflow.DocLetter, ID: l.ID, PlanID: plan.ID}, data); err != nil {
				return err
			}
		}
		return sendFile(c, data, contentType(format), letterFileName(l, format))
	}
	data, err := s.wf.PreviewLetter(c.Request().Context(), actorOf(c), s.renderer(c), plan, l, workflow.Format(format))
	if err != nil {
		return err
	}
	return sendFile(c, data, contentType(format), fmt.Sprintf("Dự thảo công văn đôn đốc %s %s.%s", p.Name(), plan.Doc.Agency.Symbol, format))
}

// saveLetter edits a letter draft's parts, at its version.
func (s *Server) saveLetter(c echo.Context) error {
	plan, l, format, err := s.letterTarget(c, "name")
	if err != nil {
		return err
	}
	if format != "" {
		return problem(http.StatusMethodNotAllowed, "method-not-allowed", "Phương thức không được hỗ trợ / Method not allowed", "files are read-only")
	}
	var in letterInput
	if err := s.decodeStrict(c, &in); err != nil {
		return err
	}
	if in.Period != "" && in.Period != l.Period {
		return validation(doc.FieldError{Field: "period", Problem: "không đổi được kỳ của công văn đã lập / a letter's period cannot change"})
	}
	v, err := version(c, in.Version)
	if err != nil {
		return err
	}
	p, _ := period.Parse(l.Period)
	return s.savedLetter(c, http.StatusOK)(s.wf.SaveLetter(c.Request().Context(), actorOf(c),
		workflow.LetterInput{PlanID: plan.ID, ID: l.ID, Period: p, Parts: in.Parts, Version: v}))
}

// issueLetter numbers a letter draft and freezes its files.
func (s *Server) issueLetter(c echo.Context) error {
	plan, l, _, err := s.letterTarget(c, "letter")
	if err != nil {
		return err
	}
	v, date, err := s.readIssue(c)
	if err != nil {
		return err
	}
	issued, err := s.issueLetterAs(c, plan.ID, l.ID, v, date)
	if err != nil {
		return err
	}
	out, err := s.letterOut(c, issued.Plan, issued.Letter, false)
	if err != nil {
		return err
	}
	out.Late = issued.Late
	c.Response().Header().Set("ETag", etagOf(issued.Letter.Version))
	return c.JSON(http.StatusOK, out)
}

// issueLetterAs issues a letter draft as the caller (workflow.IssueLetter)
// and records its number in the audit trail.
func (s *Server) issueLetterAs(c echo.Context, planID, id, v int64, date doc.Date) (workflow.IssuedLetter, error) {
	issued, err := s.wf.IssueLetter(c.Request().Context(), actorOf(c), s.renderer(c),
		workflow.IssueLetterInput{PlanID: planID, ID: id, Version: v, Date: date})
	if err == nil {
		c.Set(auditDetailKey, issued.Detail)
	}
	return issued, err
}

// letterFileName is the download name of an issued letter's file:
// "Công văn 01/UBND-KSTT đôn đốc Quý I năm 2024.pdf".
func letterFileName(l domain.Letter, format string) string {
	p, _ := period.Parse(l.Period)
	return fmt.Sprintf("Công văn %s đôn đốc %s.%s", workflow.LetterReference(l), p.Name(), format)
}
