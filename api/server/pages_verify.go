package server

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"baocao/domain"
	"baocao/reports/doc"
	"baocao/reports/period"
	"baocao/workflow"
)

// The verify page: anyone logged in uploads a PDF and reads what POST
// /api/v1/verify answers, in Vietnamese (Decree 30 art. 21.2).

type verifyView struct {
	Name   string
	Result *verifiedJSON
	Errors map[string]string
	// Trusted says whether a trust list is configured.
	Trusted bool
}

func (s *Server) verifyView() verifyView {
	return verifyView{Trusted: s.cfg.Signing != nil && s.cfg.Signing.Trust != nil}
}

func (s *Server) verifyPage(c echo.Context) error {
	return s.page(c, http.StatusOK, "verify", "Kiểm tra chữ ký số", view{Data: s.verifyView()})
}

func (s *Server) verifyPost(c echo.Context) error {
	v := s.verifyView()
	bad := func(msg string) error {
		v.Errors = map[string]string{"file": msg}
		return s.page(c, http.StatusUnprocessableEntity, "verify", "Kiểm tra chữ ký số", view{Data: v})
	}
	data, name, msg := s.formFile(c)
	if msg != "" {
		return bad(msg)
	}
	v.Name = name
	res, err := s.signer.Verify(c.Request().Context(), actorOf(c), data)
	var ve *doc.ValidationError
	if errors.As(err, &ve) {
		return bad("Tệp không phải là tệp PDF đọc được.")
	}
	if err != nil {
		return err
	}
	out := verifiedOut(res)
	v.Result = &out
	return s.page(c, http.StatusOK, "verify", "Kiểm tra chữ ký số", view{Data: v})
}

// The signing steps of an issued document's page (a report's, a
// letter's; the same workflows as the API): the competent person's signed
// file uploaded in a form, the organisation's signature applied with a
// button (templates/web/_signatures.html).

// signingView is what the signing steps show: each stage signed (who,
// when), the refusal of the last upload, whether signing is configured,
// and the document's page (Page) and API (API) paths.
type signingView struct {
	Signed    map[string]string
	Error     string
	On        bool
	Page, API string
}

// signingData is the signing steps' view of the issued document ref,
// whose page is at page.
func (s *Server) signingData(c echo.Context, ref workflow.DocRef, page, signErr string) (signingView, error) {
	signed, err := s.signer.SignedFiles(c.Request().Context(), ref)
	if err != nil {
		return signingView{}, err
	}
	stages := map[string]string{}
	for _, f := range signed {
		stages[f.Stage] = f.Signer + ", " + f.SignedAt.In(period.Vietnam).Format("02/01/2006 15:04")
	}
	return signingView{Signed: stages, Error: signErr, On: s.cfg.Signing != nil, Page: page, API: "/api/v1" + page}, nil
}

// signPageDoc is a document whose page runs the signing steps: its ref,
// whether it is issued, its page's path, and how to show the page again
// with a refusal (signErr beside the file's field, alert above).
type signPageDoc struct {
	ref    workflow.DocRef
	issued bool
	page   string
	show   func(status int, signErr, alert string) error
}

// reportSignPage is the report page's document.
func (s *Server) reportSignPage(c echo.Context) (signPageDoc, error) {
	plan, p, rec, show, err := s.reportOnPage(c)
	return signPageDoc{ref: workflow.DocRef{Kind: workflow.DocReport, ID: rec.ID, PlanID: plan.ID}, issued: rec.Status == domain.ReportIssued,
		page: fmt.Sprintf("/plans/%d/reports/%s", plan.ID, p.Code()),
		show: func(status int, signErr, alert string) error {
			return show(status, reportForm{SignError: signErr}, alert)
		}}, err
}

// letterSignPage is the letter page's document.
func (s *Server) letterSignPage(c echo.Context) (signPageDoc, error) {
	plan, l, fields, err := s.letterForm(c)
	return signPageDoc{ref: workflow.DocRef{Kind: workflow.DocLetter, ID: l.ID, PlanID: plan.ID}, issued: l.Status == domain.ReportIssued,
		page: fmt.Sprintf("/plans/%d/letters/%d", plan.ID, l.ID),
		show: func(status int, signErr, alert string) error {
			return s.showLetter(c, status, plan, l, fields, alert, "", signErr)
		}}, err
}

// notIssuedAlert refuses a signing step on a document not issued.
const notIssuedAlert = "Chỉ ký số được văn bản đã ban hành."

// signedPost keeps the person's signed file sent from the document's page.
func (s *Server) signedPost(find func(*Server, echo.Context) (signPageDoc, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		d, err := find(s, c)
		if err != nil {
			return err
		}
		again := func(msg string) error { return d.show(http.StatusUnprocessableEntity, msg, "") }
		if !d.issued {
			return again(notIssuedAlert)
		}
		data, _, msg := s.formFile(c)
		if msg != "" {
			return again(msg)
		}
		sf, _, err := s.signer.SubmitPersonSigned(c.Request().Context(), actorOf(c), d.ref, data)
		if msg := signAlert(err); msg != "" {
			return again(msg)
		}
		if err != nil {
			return err
		}
		c.Set(auditDetailKey, signedDetail(sf))
		return s.redirectWith(c, d.page, "Đã nhận văn bản có chữ ký số của "+sf.Signer+".")
	}
}

// orgSignPost applies the organisation's signature from the document's page.
func (s *Server) orgSignPost(find func(*Server, echo.Context) (signPageDoc, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		d, err := find(s, c)
		if err != nil {
			return err
		}
		refuse := func(msg string) error { return d.show(http.StatusConflict, "", msg) }
		if !d.issued {
			return refuse(notIssuedAlert)
		}
		sf, err := s.signer.SignAsOrganisation(c.Request().Context(), actorOf(c), d.ref)
		if msg := signAlert(err); msg != "" {
			return refuse(msg)
		}
		if err != nil {
			return err
		}
		c.Set(auditDetailKey, signedDetail(sf))
		return s.redirectWith(c, d.page, "Đã ký số của cơ quan, tổ chức.")
	}
}

// formFile reads the file of a form's "file" field, at most the body
// limit; on failure, msg says why in Vietnamese.
func (s *Server) formFile(c echo.Context) (data []byte, name, msg string) {
	fh, err := c.FormFile("file")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, "", "Tệp quá lớn."
		}
		return nil, "", "Hãy chọn một tệp PDF."
	}
	f, err := fh.Open()
	if err != nil {
		return nil, "", "Không đọc được tệp."
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, s.cfg.MaxBodyBytes+1))
	if err != nil || int64(len(data)) > s.cfg.MaxBodyBytes {
		return nil, "", "Không đọc được tệp, hoặc tệp quá lớn."
	}
	return data, fh.Filename, ""
}

// signAlert words a refusal of a signing step for the page ("" for an
// error that is not a refusal).
func signAlert(err error) string {
	var ve *doc.ValidationError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &ve) && len(ve.Fields) > 0:
		return ve.Fields[0].Problem
	case errors.Is(err, domain.ErrOrder):
		return "Sai thứ tự ký: cơ quan, tổ chức chỉ ký số sau khi người có thẩm quyền đã ký (Nghị định 30/2020/NĐ-CP, Điều 32.2), và mỗi bước chỉ ký một lần."
	case errors.Is(err, workflow.ErrSigningOff):
		return "Chưa cấu hình chữ ký số (danh sách tin cậy, khóa của cơ quan): liên hệ quản trị hệ thống."
	}
	return ""
}
