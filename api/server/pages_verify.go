package server

import (
	"errors"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"baocao/reports/doc"
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
	fh, err := c.FormFile("file")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return bad("Tệp quá lớn.")
		}
		return bad("Hãy chọn một tệp PDF.")
	}
	v.Name = fh.Filename
	f, err := fh.Open()
	if err != nil {
		return bad("Không đọc được tệp.")
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, s.cfg.MaxBodyBytes+1))
	if err != nil || int64(len(data)) > s.cfg.MaxBodyBytes {
		return bad("Không đọc được tệp, hoặc tệp quá lớn.")
	}
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
