package server

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"baocao/api/store"
	"baocao/reports/doc"
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

// The report page's signing steps (the same workflows as the API): the
// competent person's signed file uploaded in a form, the organisation's
// signature applied with a button.

// reportSignedPost keeps the person's signed file sent from the report page.
func (s *Server) reportSignedPost(c echo.Context) error {
	plan, p, rec, show, err := s.reportOnPage(c)
	if err != nil {
		return err
	}
	again := func(msg string) error { return show(http.StatusUnprocessableEntity, reportForm{SignError: msg}, "") }
	if rec.Status != store.ReportIssued {
		return again("Chỉ ký số được báo cáo đã ban hành.")
	}
	data, _, msg := s.formFile(c)
	if msg != "" {
		return again(msg)
	}
	ref := workflow.DocRef{Kind: workflow.DocReport, ID: rec.ID, PlanID: plan.ID}
	sf, _, err := s.signer.SubmitPersonSigned(c.Request().Context(), actorOf(c), ref, data)
	if msg := signAlert(err); msg != "" {
		return again(msg)
	}
	if err != nil {
		return err
	}
	c.Set(auditDetailKey, fmt.Sprintf("ký bởi %s, SHA-256 %s", sf.Signer, sf.SHA256))
	return s.redirectWith(c, fmt.Sprintf("/plans/%d/reports/%s", plan.ID, p.Code()), "Đã nhận văn bản có chữ ký số của "+sf.Signer+".")
}

// reportOrgSignPost applies the organisation's signature from the report page.
func (s *Server) reportOrgSignPost(c echo.Context) error {
	plan, p, rec, show, err := s.reportOnPage(c)
	if err != nil {
		return err
	}
	refuse := func(msg string) error { return show(http.StatusConflict, reportForm{}, msg) }
	if rec.Status != store.ReportIssued {
		return refuse("Chỉ ký số được báo cáo đã ban hành.")
	}
	ref := workflow.DocRef{Kind: workflow.DocReport, ID: rec.ID, PlanID: plan.ID}
	sf, err := s.signer.SignAsOrganisation(c.Request().Context(), actorOf(c), ref)
	if msg := signAlert(err); msg != "" {
		return refuse(msg)
	}
	if err != nil {
		return err
	}
	c.Set(auditDetailKey, fmt.Sprintf("ký bởi %s, SHA-256 %s", sf.Signer, sf.SHA256))
	return s.redirectWith(c, fmt.Sprintf("/plans/%d/reports/%s", plan.ID, p.Code()), "Đã ký số của cơ quan, tổ chức.")
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
	case errors.Is(err, store.ErrOrder):
		return "Sai thứ tự ký: cơ quan, tổ chức chỉ ký số sau khi người có thẩm quyền đã ký (Nghị định 30/2020/NĐ-CP, Điều 32.2), và mỗi bước chỉ ký một lần."
	case errors.Is(err, workflow.ErrSigningOff):
		return "Chưa cấu hình chữ ký số (danh sách tin cậy, khóa của cơ quan): liên hệ quản trị hệ thống."
	}
	return ""
}
