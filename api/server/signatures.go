package server

import (
	"fmt"
	"mime"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"baocao/api/store"
	"baocao/signing"
	"baocao/workflow"
)

// The signing routes (README "Digital signatures and PDF/A"): the
// handlers only translate; workflow.SignService holds the rules.

// reportRef names the issued report of a plan's period for signing.
func (s *Server) reportDocRef(c echo.Context) (workflow.DocRef, store.Report, store.Plan, error) {
	id, p, err := planPeriod(c)
	if err != nil {
		return workflow.DocRef{}, store.Report{}, store.Plan{}, err
	}
	ctx := c.Request().Context()
	plan, err := s.store.GetPlan(ctx, id)
	if err != nil {
		return workflow.DocRef{}, store.Report{}, store.Plan{}, err
	}
	rec, err := s.store.IssuedReport(ctx, id, p.Code())
	if err != nil {
		return workflow.DocRef{}, store.Report{}, store.Plan{}, err
	}
	return workflow.DocRef{Kind: workflow.DocReport, ID: rec.ID, PlanID: id}, rec, plan, nil
}

// readPDF reads a PDF body (application/pdf), at most the body limit.
func (s *Server) readPDF(c echo.Context) ([]byte, error) {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/pdf" {
		return nil, problem(http.StatusUnsupportedMediaType, "unsupported-media-type", "Kiểu nội dung không được hỗ trợ / Unsupported media type",
			fmt.Sprintf("send the PDF as application/pdf, not %q", ct))
	}
	return readBody(c, s.cfg.MaxBodyBytes)
}

// reportToSign sends the issued report to be signed by the competent
// person (with its empty signature field).
func (s *Server) reportToSign(c echo.Context) error {
	ref, rec, plan, err := s.reportDocRef(c)
	if err != nil {
		return err
	}
	d, err := s.signer.ToSign(c.Request().Context(), actorOf(c), ref)
	if err != nil {
		return err
	}
	c.Set(auditDetailKey, "số "+d.Reference)
	p, _ := pathPeriod(c)
	return sendFile(c, d.PDF, "application/pdf", "Để ký "+issuedName(rec, plan, p, "pdf"))
}

// uploadPersonSigned keeps the competent person's signed file.
func (s *Server) uploadPersonSigned(c echo.Context) error {
	ref, _, _, err := s.reportDocRef(c)
	if err != nil {
		return err
	}
	data, err := s.readPDF(c)
	if err != nil {
		return err
	}
	f, _, err := s.signer.SubmitPersonSigned(c.Request().Context(), actorOf(c), ref, data)
	if err != nil {
		return err
	}
	c.Set(auditDetailKey, fmt.Sprintf("ký bởi %s, SHA-256 %s", f.Signer, f.SHA256))
	return c.JSON(http.StatusCreated, f)
}

// signAsOrganisation applies the organisation's signature.
func (s *Server) signAsOrganisation(c echo.Context) error {
	ref, _, _, err := s.reportDocRef(c)
	if err != nil {
		return err
	}
	f, err := s.signer.SignAsOrganisation(c.Request().Context(), actorOf(c), ref)
	if err != nil {
		return err
	}
	c.Set(auditDetailKey, fmt.Sprintf("ký bởi %s, SHA-256 %s", f.Signer, f.SHA256))
	return c.JSON(http.StatusCreated, f)
}

// listSignatures lists the report's signed files.
func (s *Server) listSignatures(c echo.Context) error {
	ref, _, _, err := s.reportDocRef(c)
	if err != nil {
		return err
	}
	files, err := s.signer.SignedFiles(c.Request().Context(), ref)
	if err != nil {
		return err
	}
	if files == nil {
		files = []store.SignedFile{}
	}
	return c.JSON(http.StatusOK, struct {
		Items []store.SignedFile `json:"items"`
	}{files})
}

// verifiedJSON is what POST /verify answers.
type verifiedJSON struct {
	Size                int64               `json:"size"`
	SHA256              string              `json:"sha256"`
	Revisions           int                 `json:"revisions"`
	FirstRevisionSHA256 string              `json:"first_revision_sha256"`
	Signatures          []verifiedSignature `json:"signatures"`
	Issued              []store.IssuedMatch `json:"issued"`
}

type verifiedSignature struct {
	Field        string     `json:"field"`
	Signer       string     `json:"signer"`
	Organization string     `json:"organization,omitempty"`
	Issuer       string     `json:"issuer"`
	Serial       string     `json:"serial"`
	Time         *time.Time `json:"time,omitempty"`
	TimeSource   string     `json:"time_source,omitempty"`
	SubFilter    string     `json:"sub_filter"`
	Level        string     `json:"level,omitempty"`
	Valid        bool       `json:"valid"`
	Trusted      bool       `json:"trusted"`
	WholeFile    bool       `json:"whole_file"`
	Revision     int        `json:"revision"`
	Chain        []string   `json:"chain"`
	Problems     []string   `json:"problems"`
}

func verifiedOut(v workflow.Verified) verifiedJSON {
	out := verifiedJSON{Size: v.Size, SHA256: v.SHA256, Revisions: v.Revisions, FirstRevisionSHA256: v.FirstRevisionSHA256,
		Signatures: []verifiedSignature{}, Issued: v.Issued}
	if out.Issued == nil {
		out.Issued = []store.IssuedMatch{}
	}
	for _, s := range v.Signatures {
		out.Signatures = append(out.Signatures, signatureDetail(s))
	}
	return out
}

func signatureDetail(s signing.Signature) verifiedSignature {
	d := verifiedSignature{Field: s.Field, Signer: s.Signer, Organization: s.Organization, Issuer: s.Issuer, Serial: s.Serial,
		TimeSource: s.TimeSource, SubFilter: s.SubFilter, Level: s.Level, Valid: s.Valid, Trusted: s.Trusted, WholeFile: s.WholeFile,
		Revision: s.Revision, Chain: s.Chain, Problems: s.Problems}
	if !s.Time.IsZero() {
		t := s.Time
		d.Time = &t
	}
	if d.Chain == nil {
		d.Chain = []string{}
	}
	if d.Problems == nil {
		d.Problems = []string{}
	}
	return d
}

// verifyPDF checks any PDF.
func (s *Server) verifyPDF(c echo.Context) error {
	data, err := s.readPDF(c)
	if err != nil {
		return err
	}
	v, err := s.signer.Verify(c.Request().Context(), actorOf(c), data)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, verifiedOut(v))
}
