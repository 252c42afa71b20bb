package server

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"baocao/domain"
	"baocao/reports/doc"
)

// The secretariat's plan form: create a plan, or edit one's header, body,
// recipients and signature (its tasks have their own page,
// pages_edit_tasks.go). "Xem trước" renders what is in the boxes as a
// PDF without storing it; "Lưu" stores it through workflow.Service's
// CreatePlan or UpdatePlan, with the version the form was made from.

// planForm is what the plan form holds, as typed.
type planForm struct {
	Kind, Number, Date, Symbol                          string
	Draft                                               bool
	AgencyName, AgencyShort, AgencyHeader, AgencySymbol string
	AgencyPlace, ParentName                             string
	Title, LegalBases, Body, Recipients, Archive        string
	SignAuthority, Signer, ReportDueDay                 string
}

// planFormFields are the names of the form's fields, as the document's
// paths name them.
var planFormFields = []string{"kind", "number", "date", "symbol", "agency.name", "agency.short_name", "agency.header",
	"agency.symbol", "agency.place", "agency.parent.name", "title", "legal_bases", "body", "recipients", "archive",
	"signature.authority", "signature.signer", "report_due_day"}

func planFormOf(d *doc.Document) planForm {
	f := planForm{Kind: d.Kind, Date: dmyDate(d.Date), Symbol: d.Symbol, Draft: d.Draft, AgencyName: d.Agency.Name,
		AgencyShort: d.Agency.ShortName, AgencyHeader: strings.Join(d.Agency.Header, "\n"), AgencySymbol: d.Agency.Symbol,
		AgencyPlace: d.Agency.Place, Title: d.Title, LegalBases: strings.Join(d.LegalBases, "\n"), Body: d.Body,
		Recipients: strings.Join(d.Recipients, "\n"), Archive: d.Archive}
	if d.Number != 0 {
		f.Number = itoa(d.Number)
	}
	if d.Agency.Parent != nil {
		f.ParentName = d.Agency.Parent.Name
	}
	if d.Signature != nil {
		f.SignAuthority, f.Signer = strings.Join(d.Signature.Authority, "\n"), d.Signature.Signer
	}
	if d.ReportDueDay != 0 {
		f.ReportDueDay = itoa(d.ReportDueDay)
	}
	return f
}

func planFormFrom(c echo.Context) planForm {
	v := c.FormValue
	return planForm{Kind: v("kind"), Number: v("number"), Date: v("date"), Symbol: v("symbol"), Draft: v("draft") != "",
		AgencyName: v("agency.name"), AgencyShort: v("agency.short_name"), AgencyHeader: v("agency.header"),
		AgencySymbol: v("agency.symbol"), AgencyPlace: v("agency.place"), ParentName: v("agency.parent.name"),
		Title: v("title"), LegalBases: v("legal_bases"), Body: v("body"), Recipients: v("recipients"), Archive: v("archive"),
		SignAuthority: v("signature.authority"), Signer: v("signature.signer"), ReportDueDay: v("report_due_day")}
}

// document puts the form into a copy of base (the stored plan, whose
// appendices and other parts the form does not show stay as they are);
// errs are the fields that could not be read.
func (f planForm) document(base *doc.Document) (*doc.Document, formErrs) {
	d := *base
	errs := formErrs{}
	d.Kind, d.Symbol, d.Draft = strings.TrimSpace(f.Kind), strings.TrimSpace(f.Symbol), f.Draft
	d.Number = 0
	if n := strings.TrimSpace(f.Number); n != "" {
		if _, err := fmt.Sscan(n, &d.Number); err != nil || fmt.Sprint(d.Number) != strings.TrimLeft(n, "0") {
			errs["number"] = "Số văn bản là một số nguyên, vd. 15; để trống khi là dự thảo."
		}
	}
	date, err := parseDMY(f.Date)
	if err != nil {
		errs["date"] = upperFirst(err.Error()) + "."
	}
	d.Date = date
	d.ReportDueDay = 0
	if v := strings.TrimSpace(f.ReportDueDay); v != "" {
		if _, err := fmt.Sscan(v, &d.ReportDueDay); err != nil {
			errs["report_due_day"] = "Ngày từ 1 đến 28, hoặc để trống (ngày 15)."
		}
	}
	var parent *doc.Agency
	if name := strings.TrimSpace(f.ParentName); name != "" {
		parent = &doc.Agency{Name: name}
		if base.Agency.Parent != nil && base.Agency.Parent.Name == name {
			p := *base.Agency.Parent
			parent = &p
		}
	}
	d.Agency = doc.Agency{Name: f.AgencyName, ShortName: f.AgencyShort, Header: lines(f.AgencyHeader),
		Symbol: f.AgencySymbol, Place: f.AgencyPlace, Parent: parent}
	d.Title, d.LegalBases, d.Body = f.Title, lines(f.LegalBases), f.Body
	d.Recipients, d.Archive = lines(f.Recipients), f.Archive
	d.Signature = nil
	if auth := lines(f.SignAuthority); len(auth) > 0 || strings.TrimSpace(f.Signer) != "" {
		d.Signature = &doc.Signature{Authority: auth, Signer: f.Signer}
	}
	return &d, errs
}

// kindOption is a document kind in the form's list.
type kindOption struct{ Abbr, Name string }

func kindOptions() []kindOption {
	var out []kindOption
	for _, k := range doc.Kinds {
		out = append(out, kindOption{k.Abbr, k.Name})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// planFieldLabels name the form's fields in an alert, so that a clerk
// on a phone knows which boxes down the page to fix.
var planFieldLabels = map[string]string{"kind": "Loại văn bản", "number": "Số", "date": "Ngày ban hành", "symbol": "Ký hiệu",
	"agency.name": "Tên cơ quan", "agency.short_name": "Tên viết tắt", "agency.header": "Tên in ở góc trái",
	"agency.symbol": "Ký hiệu cơ quan", "agency.place": "Địa danh", "agency.parent.name": "Cơ quan chủ quản",
	"title": "Trích yếu", "legal_bases": "Căn cứ", "body": "Nội dung", "recipients": "Nơi nhận", "archive": "Lưu",
	"signature.authority": "Chức vụ người ký", "signature.signer": "Người ký", "report_due_day": "Hạn báo cáo"}

// showPlanForm renders the form: id 0 for a new plan.
func (s *Server) showPlanForm(c echo.Context, status int, id, version int64, ref string, f planForm, errs formErrs, alert string) error {
	if len(errs) > 0 && strings.HasSuffix(alert, "hãy sửa các ô được đánh dấu.") {
		var names []string
		for _, k := range planFormFields {
			if errs[k] != "" {
				names = append(names, planFieldLabels[k])
			}
		}
		alert = strings.TrimSuffix(alert, ".") + ": " + strings.Join(names, ", ") + "."
	}
	title := "Tạo kế hoạch"
	if id != 0 {
		title = "Sửa kế hoạch"
	}
	data := map[string]any{"ID": id, "Version": version, "Ref": ref, "Form": f, "Errors": errs, "Kinds": kindOptions()}
	return s.page(c, status, "plan_edit", title, view{Alert: alert, Data: data})
}

// newPlanDocument is what a new plan's form starts from.
func newPlanDocument() *doc.Document {
	return &doc.Document{Kind: "KH", Draft: true, Archive: "VT"}
}

func (s *Server) planNewPage(c echo.Context) error {
	return s.showPlanForm(c, http.StatusOK, 0, 0, "", planFormOf(newPlanDocument()), nil, "")
}

func (s *Server) planEditPage(c echo.Context) error {
	p, err := s.planFromPath(c)
	if err != nil {
		return err
	}
	return s.showPlanForm(c, http.StatusOK, p.ID, p.Version, reference(p), planFormOf(p.Doc), nil, "")
}

// planNewPost creates the plan, or previews what is in the boxes.
func (s *Server) planNewPost(c echo.Context) error {
	return s.planFormPost(c, domain.Plan{Doc: newPlanDocument()}, false)
}

func (s *Server) planNewPreview(c echo.Context) error {
	return s.planFormPost(c, domain.Plan{Doc: newPlanDocument()}, true)
}

func (s *Server) planEditPost(c echo.Context) error    { return s.planEdited(c, false) }
func (s *Server) planEditPreview(c echo.Context) error { return s.planEdited(c, true) }

func (s *Server) planEdited(c echo.Context, preview bool) error {
	p, err := s.planFromPath(c)
	if err != nil {
		return err
	}
	return s.planFormPost(c, p, preview)
}

// planFormPost stores the form, or with preview renders what is in the
// boxes as a PDF, storing nothing.
func (s *Server) planFormPost(c echo.Context, p domain.Plan, preview bool) error {
	f := planFormFrom(c)
	version := formVersion(c)
	ref := ""
	if p.ID != 0 {
		ref = reference(p)
	}
	d, errs := f.document(p.Doc)
	if len(errs) > 0 {
		// What the document's rules say of the other fields, too.
		more, _, _ := refusal(s.wf.CheckDocument(d), planFormFields...)
		for k, v := range more {
			if _, ok := errs[k]; !ok {
				errs[k] = v
			}
		}
		return s.showPlanForm(c, http.StatusUnprocessableEntity, p.ID, version, ref, f, errs, "Chưa lưu: hãy sửa các ô được đánh dấu.")
	}
	ctx := c.Request().Context()
	if preview {
		if err := s.wf.CheckDocument(d); err != nil {
			return s.planRefused(c, err, p.ID, version, ref, f)
		}
		data, err := s.renderDoc(ctx, d, "plan", "pdf")
		if err != nil {
			return err
		}
		c.Response().Header().Set(echo.HeaderContentDisposition, "inline")
		pageHeaders(c)
		return c.Blob(http.StatusOK, typePDF, data)
	}
	if p.ID == 0 {
		np, err := s.wf.CreatePlan(ctx, actorOf(c), d)
		if err != nil {
			return s.planRefused(c, err, 0, 0, "", f)
		}
		c.Set(auditDetailKey, "plan "+itoa64(np.ID)+" created from the web form")
		return s.redirectWith(c, fmt.Sprintf("/plans/%d/tasks", np.ID), "Đã tạo kế hoạch. Hãy thêm các nhiệm vụ (hoặc nhập từ Excel).")
	}
	pc, err := s.wf.UpdatePlan(ctx, actorOf(c), p.ID, version, d, domain.UpdateOptions{})
	if err != nil {
		return s.planRefused(c, err, p.ID, version, ref, f)
	}
	return s.redirectWith(c, fmt.Sprintf("/plans/%d", pc.Plan.ID), "Đã lưu kế hoạch.")
}

// planRefused shows the form again with what was typed and why it was
// not stored.
func (s *Server) planRefused(c echo.Context, err error, id, version int64, ref string, f planForm) error {
	errs, alert, ok := refusal(err, planFormFields...)
	if !ok {
		return err
	}
	status := refusedStatus(err)
	return s.showPlanForm(c, status, id, version, ref, f, errs, alert)
}
