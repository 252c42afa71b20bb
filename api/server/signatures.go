package server

import (
	"fmt"
	"mime"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"baocao/domain"
	"baocao/signing"
	"baocao/workflow"
)

// The signing routes (README "Digital signatures and PDF/A"): the
// handlers only translate; workflow.SignService holds the rules.

// signable is how one kind's signing routes find their issued document:
// ref reads it from the path, with the file name of its PDF.
type signable struct {
	ref func(s *Server, c echo.Context) (workflow.DocRef, string, error)
}

// The signable kinds' routes: /reports/{period}/… and /letters/{lid}/….
var (
	reportSigning = signable{ref: (*Server).reportDocRef}
	letterSigning = signable{ref: (*Server).letterDocRef}
)

// reportDocRef names the issued report of a plan's period for signing.
func (s *Server) reportDocRef(c echo.Context) (workflow.DocRef, string, error) {
	id, p, err := planPeriod(c)
	if err != nil {
		return workflow.DocRef{}, "", err
	}
	ctx := c.Request().Context()
	plan, err := s.store.GetPlan(ctx, id)
	if err != nil {
		return workflow.DocRef{}, "", err
	}
	rec, err := s.store.IssuedReport(ctx, id, p.Code())
	if err != nil {
		return workflow.DocRef{}, "", err
	}
	return workflow.DocRef{Kind: workflow.DocReport, ID: rec.ID, PlanID: id}, issuedName(rec, plan, p, "pdf"), nil
}

// letterDocRef names a plan's reminder letter for signing (the workflow
// refuses a draft).
func (s *Server) letterDocRef(c echo.Context) (workflow.DocRef, string, error) {
	plan, l, format, err := s.letterTarget(c, "letter")
	if err != nil {
		return workflow.DocRef{}, "", err
	}
	if format != "" {
		return workflow.DocRef{}, "", notFound(fmt.Sprintf("no signing route under a letter's file %q", c.Param("letter")))
	}
	return workflow.DocRef{Kind: workflow.DocLetter, ID: l.ID, PlanID: plan.ID}, letterFileName(l, "pdf"), nil
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

// toSign sends the issued document to be signed by the competent person
// (with its empty signature field).
func (s *Server) toSign(k signable) echo.HandlerFunc {
	return func(c echo.Context) error {
		ref, name, err := k.ref(s, c)
		if err != nil {
			return err
		}
		d, err := s.signer.ToSign(c.Request().Context(), actorOf(c), ref)
		if err != nil {
			return err
		}
		c.Set(auditDetailKey, "số "+d.Reference)
		return sendFile(c, d.PDF, "application/pdf", "Để ký "+name)
	}
}

// uploadPersonSigned keeps the competent person's signed file.
func (s *Server) uploadPersonSigned(k signable) echo.HandlerFunc {
	return func(c echo.Context) error {
		ref, _, err := k.ref(s, c)
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
		c.Set(auditDetailKey, signedDetail(f))
		return c.JSON(http.StatusCreated, f)
	}
}

// signAsOrganisation applies the organisation's signature.
func (s *Server) signAsOrganisation(k signable) echo.HandlerFunc {
	return func(c echo.Context) error {
		ref, _, err := k.ref(s, c)
		if err != nil {
			return err
		}
		f, err := s.signer.SignAsOrganisation(c.Request().Context(), actorOf(c), ref)
		if err != nil {
			return err
		}
		c.Set(auditDetailKey, signedDetail(f))
		return c.JSON(http.StatusCreated, f)
	}
}

// signedDetail is the audit trail's account of a signed file kept.
func signedDetail(f domain.SignedFile) string {
	return fmt.Sprintf("ký bởi %s, SHA-256 %s", f.Signer, f.SHA256)
}

// listSignatures lists the document's signed files.
func (s *Server) listSignatures(k signable) echo.HandlerFunc {
	return func(c echo.Context) error {
		ref, _, err := k.ref(s, c)
		if err != nil {
			return err
		}
		files, err := s.signer.SignedFiles(c.Request().Context(), ref)
		if err != nil {
			return err
		}
		if files == nil {
			files = []domain.SignedFile{}
		}
		return c.JSON(http.StatusOK, struct {
			Items []domain.SignedFile `json:"items"`
		}{files})
	}
}

// verifiedJSON is what POST /verify answers.
type verifiedJSON struct {
	Size                int64                `json:"size"`
	SHA256              string               `json:"sha256"`
	Revisions           int                  `json:"revisions"`
	FirstRevisionSHA256 string               `json:"first_revision_sha256"`
	Signatures          []verifiedSignature  `json:"signatures"`
	Issued              []domain.IssuedMatch `json:"issued"`
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
		out.Issued = []domain.IssuedMatch{}
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
