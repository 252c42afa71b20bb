package workflow

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"baocao/domain"
	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/pdf"
	"baocao/signing"
)

// Digital signatures of issued documents, in the order Decree 30/2020/NĐ-CP
// sets (art. 5, 13.7, 17.2, 32.2; Appendix I, II.7–8):
//
//  1. The issued file already holds an empty signature field between the
//     signer's title line and name (Issue adds it). The competent person
//     downloads it (ToSign), signs it with their own token outside
//     baocao, and uploads it (SubmitPersonSigned): baocao keeps it only if
//     it starts with exactly the issued bytes, every signature added over
//     them is valid PAdES, chains to the trust list and the last covers
//     the whole file.
//  2. The văn thư has baocao apply the organisation's signature over it
//     (SignAsOrganisation), with the seal image at its real size covering
//     the left third of the person's signature image, from the key in a
//     PKCS#12 file or a PKCS#11 token; never before the person's (art.
//     32.2).
//
// Signed files are frozen with their SHA-256 (domain.SignedFile); the
// document's download then serves the last signed file (Current).
//
// The workflows work on "an issued document" (DocRef: a kind and an id):
// each kind of document plugs in an IssuedDocuments that finds its issued
// file (ReportDocuments for periodic reports, LetterDocuments for
// reminder letters; SignableDocuments lists them all).

// DocKind is a kind of issued document that can be signed.
type DocKind string

// The kinds of signable documents: periodic reports, reminder letters
// (công văn đôn đốc) and plans; a plan's appendix in a separate file
// (DocPlanAppendix) is signed only by the organisation, stamped at its
// top right, in the same action as the plan's document.
const (
	DocReport       DocKind = "report"
	DocLetter       DocKind = "letter"
	DocPlan         DocKind = "plan"
	DocPlanAppendix DocKind = "plan-appendix"
)

// DocRef names an issued document: its kind, its id and (for reports) its
// plan.
type DocRef struct {
	Kind   DocKind
	ID     int64
	PlanID int64
}

// IssuedDocument is an issued document as signing sees it.
type IssuedDocument struct {
	Ref DocRef
	// Reference is its number and symbol, "01/BC-UBND"; Agency the issuing
	// agency (which signs as the organisation); Signer the competent person
	// its signature block names.
	Reference, Agency, Signer string
	// PDF is the issued file, SHA256 its hash.
	PDF    []byte
	SHA256 string
	// Separate is its appendix in a separate file (a plan's), which the
	// organisation's signature stamps; nil: none.
	Separate *SeparateFile
}

// SeparateFile is an issued document's appendix in a separate file: not
// signed by the competent person, it carries the organisation's signature
// at the top right of its first page, without image, with the number and
// symbol and the signing time (Decree 30, Appendix I).
type SeparateFile struct {
	Kind   DocKind
	PDF    []byte
	SHA256 string
}

// IssuedDocuments finds the issued documents of one kind.
type IssuedDocuments interface {
	IssuedDocument(ctx context.Context, ref DocRef) (IssuedDocument, error)
}

// Signatures stores signed files; *store.Store implements it.
type Signatures interface {
	SignedFiles(ctx context.Context, kind string, id int64, withPDF bool) ([]domain.SignedFile, error)
	AddSignedFile(ctx context.Context, f domain.SignedFile) (domain.SignedFile, error)
	AddSignedFiles(ctx context.Context, f domain.SignedFile, attached ...domain.SignedFile) ([]domain.SignedFile, error)
	FindBySHA256(ctx context.Context, sums []string) ([]domain.IssuedMatch, error)
}

// SigningConfig is how baocao checks and makes signatures.
type SigningConfig struct {
	// Trust is the trust list signatures must chain to.
	Trust *signing.Trust
	// OrgKey opens the organisation's key (PKCS#12 or PKCS#11); nil: the
	// organisation's signature cannot be applied.
	OrgKey func() (*signing.Key, io.Closer, error)
	// Seal is the seal image (PNG, transparent background) and SealMM its
	// real diameter in mm (0: 36).
	Seal   []byte
	SealMM float64
	// TSA, when set, timestamps the organisation's signature.
	TSA *signing.TSA
}

// ErrSigningOff refuses signing when baocao has no trust list or key.
var ErrSigningOff = errors.New("digital signatures are not configured")

// SignService runs the signing workflows.
type SignService struct {
	Docs   map[DocKind]IssuedDocuments
	Store  Signatures
	Config *SigningConfig
	// Fonts is the family whose regular face draws a separate appendix's
	// stamp (nil: the embedded Liberation Serif, Times New Roman's metric
	// twin).
	Fonts *fonts.Family
	Now   func() time.Time
}

func (w *SignService) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

func (w *SignService) issued(ctx context.Context, ref DocRef) (IssuedDocument, error) {
	src, ok := w.Docs[ref.Kind]
	if !ok {
		return IssuedDocument{}, &NotFoundError{What: fmt.Sprintf("a signable document of kind %q", ref.Kind)}
	}
	return src.IssuedDocument(ctx, ref)
}

// ToSign is the issued file the competent person signs (with its empty
// signature field); the secretariat and the admin download it.
func (w *SignService) ToSign(ctx context.Context, actor Actor, ref DocRef) (IssuedDocument, error) {
	if err := actor.may("download documents to sign", editors...); err != nil {
		return IssuedDocument{}, err
	}
	return w.issued(ctx, ref)
}

// Current is the file a document's download serves: the last signed file,
// else the issued one; stage says which ("issued", "person",
// "organisation").
func (w *SignService) Current(ctx context.Context, ref DocRef, issued []byte) (data []byte, stage string, err error) {
	files, err := w.Store.SignedFiles(ctx, string(ref.Kind), ref.ID, true)
	if err != nil {
		return nil, "", err
	}
	if len(files) == 0 {
		return issued, "issued", nil
	}
	last := files[len(files)-1]
	return last.PDF, last.Stage, nil
}

// SignedFiles lists a document's signed files, without their bytes; a
// plan's are followed by its separate appendix's (the organisation's
// stamp).
func (w *SignService) SignedFiles(ctx context.Context, ref DocRef) ([]domain.SignedFile, error) {
	files, err := w.Store.SignedFiles(ctx, string(ref.Kind), ref.ID, false)
	if err != nil || ref.Kind != DocPlan || ref.ID == 0 {
		return files, err
	}
	app, err := w.Store.SignedFiles(ctx, string(DocPlanAppendix), ref.ID, false)
	return append(files, app...), err
}

// fileProblem is a refusal of an uploaded file (422 naming "file").
func fileProblem(problem string) error {
	return invalid(doc.FieldError{Field: "file", Problem: problem})
}

// SubmitPersonSigned keeps the competent person's signed file if it is the
// issued document signed: it starts with exactly the issued bytes, every
// signature over them is valid, chains to the trust list, and the last
// covers the whole file.
func (w *SignService) SubmitPersonSigned(ctx context.Context, actor Actor, ref DocRef, data []byte) (domain.SignedFile, *signing.Report, error) {
	if err := actor.may("upload signed documents", editors...); err != nil {
		return domain.SignedFile{}, nil, err
	}
	if w.Config == nil || w.Config.Trust == nil {
		return domain.SignedFile{}, nil, ErrSigningOff
	}
	d, err := w.issued(ctx, ref)
	if err != nil {
		return domain.SignedFile{}, nil, err
	}
	rep, err := signing.Verify(data, w.Config.Trust, w.now())
	if err != nil {
		return domain.SignedFile{}, nil, fileProblem("không đọc được tệp PDF / " + err.Error())
	}
	if !bytes.HasPrefix(data, d.PDF) {
		return domain.SignedFile{}, rep, fileProblem(fmt.Sprintf("phiên bản đầu của tệp không phải là văn bản %s đã ban hành (SHA-256 %s) / "+
			"the file's first revision is not the issued document %s (SHA-256 %s): sign the file downloaded for signing, without changing it",
			d.Reference, d.SHA256, d.Reference, d.SHA256))
	}
	var added []signing.Signature
	for _, s := range rep.Signatures {
		if s.Covered > int64(len(d.PDF)) {
			added = append(added, s)
		}
	}
	if len(added) == 0 {
		return domain.SignedFile{}, rep, fileProblem("tệp không có chữ ký số nào trên văn bản đã ban hành / the file has no signature over the issued document")
	}
	for _, s := range added {
		if !s.Valid || !s.Trusted {
			return domain.SignedFile{}, rep, fileProblem(fmt.Sprintf("chữ ký của %q không được chấp nhận / the signature of %q is refused: %v", s.Signer, s.Signer, s.Problems))
		}
	}
	last := added[len(added)-1]
	if !last.WholeFile {
		return domain.SignedFile{}, rep, fileProblem(fmt.Sprintf("tệp đã bị thay đổi sau khi ký: chữ ký chỉ bao gồm %d/%d byte / the file was changed after signing: the signature covers %d of %d bytes",
			last.Covered, rep.Size, last.Covered, rep.Size))
	}
	f, err := w.Store.AddSignedFile(ctx, domain.SignedFile{DocKind: string(ref.Kind), DocID: ref.ID, Stage: domain.StagePerson, PDF: data,
		OverSHA256: d.SHA256, Signer: last.Signer, SignedAt: last.Time, CreatedBy: actor.Name})
	return f, rep, err
}

// SignAsOrganisation applies the organisation's signature, with the seal,
// over the competent person's signed file (art. 32.2: never before it).
func (w *SignService) SignAsOrganisation(ctx context.Context, actor Actor, ref DocRef) (domain.SignedFile, error) {
	if err := actor.may("apply the organisation's signature", editors...); err != nil {
		return domain.SignedFile{}, err
	}
	d, err := w.issued(ctx, ref) // a document not issued is refused first
	if err != nil {
		return domain.SignedFile{}, err
	}
	if w.Config == nil || w.Config.Trust == nil || w.Config.OrgKey == nil {
		return domain.SignedFile{}, ErrSigningOff
	}
	files, err := w.Store.SignedFiles(ctx, string(ref.Kind), ref.ID, true)
	if err != nil {
		return domain.SignedFile{}, err
	}
	if len(files) == 0 {
		return domain.SignedFile{}, fmt.Errorf("%s: %w: the organisation signs only after the competent person (Decree 30, art. 32.2)", d.Reference, domain.ErrOrder)
	}
	person := files[len(files)-1]
	if person.Stage != domain.StagePerson {
		return domain.SignedFile{}, fmt.Errorf("%s: %w: the document already has the organisation's signature", d.Reference, domain.ErrOrder)
	}
	rep, err := signing.Verify(person.PDF, w.Config.Trust, w.now())
	if err != nil || len(rep.Signatures) == 0 {
		return domain.SignedFile{}, fmt.Errorf("the person's signed file of %s cannot be read again: %v", d.Reference, err)
	}
	ps := rep.Signatures[len(rep.Signatures)-1]
	key, closer, err := w.Config.OrgKey()
	if err != nil {
		return domain.SignedFile{}, fmt.Errorf("the organisation's key: %w", err)
	}
	defer closer.Close()
	opt := signing.Options{Name: d.Agency, Reason: "Ký số của cơ quan, tổ chức ban hành văn bản " + d.Reference, Time: w.now(), TSA: w.Config.TSA}
	if ps.Page > 0 && ps.Rect.Width() > 0 && len(w.Config.Seal) > 0 {
		mm := w.Config.SealMM
		if mm <= 0 {
			mm = 36
		}
		opt.Appearance = &signing.Appearance{Page: ps.Page, Rect: signing.SealRect(ps.Rect, mm*72/25.4), Image: w.Config.Seal}
	}
	out, err := w.signChecked(person.PDF, key, opt)
	if err != nil {
		return domain.SignedFile{}, err
	}
	signer := key.Certificate().Subject.CommonName
	signed := domain.SignedFile{DocKind: string(ref.Kind), DocID: ref.ID, Stage: domain.StageOrganisation, PDF: out,
		OverSHA256: person.SHA256, Signer: signer, SignedAt: opt.Time, CreatedBy: actor.Name}
	if d.Separate == nil {
		return w.Store.AddSignedFile(ctx, signed)
	}
	// The appendix in a separate file: the organisation's signature at
	// the top right of its first page, in the same action, at the same
	// time, stored with the document's in one transaction.
	stamp, err := w.stamp(d.Reference, opt.Time)
	if err != nil {
		return domain.SignedFile{}, err
	}
	app, err := w.signChecked(d.Separate.PDF, key, signing.Options{Name: d.Agency, Time: opt.Time, TSA: w.Config.TSA, Stamp: stamp,
		Reason: "Ký số của cơ quan, tổ chức trên phụ lục kèm theo văn bản " + d.Reference})
	if err != nil {
		return domain.SignedFile{}, fmt.Errorf("the separate appendix: %w", err)
	}
	saved, err := w.Store.AddSignedFiles(ctx, signed, domain.SignedFile{DocKind: string(d.Separate.Kind), DocID: ref.ID,
		Stage: domain.StageOrganisation, PDF: app, OverSHA256: d.Separate.SHA256, Signer: signer, SignedAt: opt.Time, CreatedBy: actor.Name})
	if err != nil {
		return domain.SignedFile{}, err
	}
	return saved[0], nil
}

// signChecked signs data with the organisation's key and checks the
// signature verifies against the trust list.
func (w *SignService) signChecked(data []byte, key *signing.Key, opt signing.Options) ([]byte, error) {
	out, err := signing.Sign(data, key, opt)
	if err != nil {
		return nil, err
	}
	check, err := signing.Verify(out, w.Config.Trust, w.now())
	if err != nil || len(check.Signatures) == 0 || !check.Signatures[len(check.Signatures)-1].OK() {
		var problems []string
		if err == nil && len(check.Signatures) > 0 {
			problems = check.Signatures[len(check.Signatures)-1].Problems
		}
		return nil, fmt.Errorf("the organisation's signature does not verify (is its certificate in the trust list?): %v %v", err, problems)
	}
	return out, nil
}

// stamp is the organisation's signature on a separate appendix: the
// number and symbol and the signing time, 10 pt, in the family's regular
// face embedded as a subset.
func (w *SignService) stamp(reference string, at time.Time) (*signing.Stamp, error) {
	fam := w.Fonts
	if fam == nil {
		var err error
		if fam, err = fonts.Default(); err != nil {
			return nil, err
		}
	}
	lines := signing.StampLines(reference, at)
	font, err := pdf.FontSubset(fam, fonts.Regular, signing.StampRunes(lines))
	if err != nil {
		return nil, fmt.Errorf("the stamp's font: %w", err)
	}
	return &signing.Stamp{Lines: lines, Font: font, Name: "BAOCSG+" + strings.ReplaceAll(fam.Name, " ", "")}, nil
}

// SeparateCurrent is the file a document's separate appendix download
// serves: the organisation's stamped file, else the issued one.
func (w *SignService) SeparateCurrent(ctx context.Context, kind DocKind, id int64, issued []byte) ([]byte, error) {
	files, err := w.Store.SignedFiles(ctx, string(kind), id, true)
	if err != nil || len(files) == 0 {
		return issued, err
	}
	return files[len(files)-1].PDF, nil
}

// Verified is what baocao says of any PDF (art. 21.2: the receiver checks
// authenticity and integrity): its signatures, and the documents of this
// baocao it is, or is signed over.
type Verified struct {
	*signing.Report
	Issued []domain.IssuedMatch
}

// Verify checks any PDF; every logged-in role may (not a render-only
// key). A file that cannot be read is a 422 naming "file".
func (w *SignService) Verify(ctx context.Context, actor Actor, data []byte) (Verified, error) {
	if err := actor.may("verify documents", RoleAdmin, RoleSecretariat, RoleReporter, RoleAuditor); err != nil {
		return Verified{}, err
	}
	var trust *signing.Trust
	if w.Config != nil {
		trust = w.Config.Trust
	}
	rep, err := signing.Verify(data, trust, w.now())
	if err != nil {
		return Verified{}, fileProblem("không đọc được tệp PDF / " + err.Error())
	}
	sums := append([]string{rep.SHA256}, rep.RevisionSHA256...)
	matches, err := w.Store.FindBySHA256(ctx, sums)
	if err != nil {
		return Verified{}, err
	}
	// A report's number and symbol come from its plan (a letter's symbol
	// is frozen with it).
	if plans, ok := w.Store.(interface {
		GetPlan(ctx context.Context, id int64) (domain.Plan, error)
	}); ok {
		for i, m := range matches {
			if m.DocKind != string(DocReport) || m.Number == 0 || m.Reference != "" {
				continue
			}
			plan, err := plans.GetPlan(ctx, m.PlanID)
			if err != nil {
				return Verified{}, err
			}
			matches[i].Reference = Reference(domain.Report{Number: m.Number}, plan)
		}
	}
	return Verified{Report: rep, Issued: matches}, nil
}

// withSignatureField adds to an issued PDF the empty field the competent
// person signs into (none when the document has no signature block).
func withSignatureField(file []byte, f *pdf.SignatureField) ([]byte, error) {
	if f == nil {
		return file, nil
	}
	out, err := signing.AddField(file, signing.Appearance{Page: f.Page, Rect: signing.Rect{f.Left, f.Bottom, f.Right, f.Top}})
	if err != nil {
		return nil, fmt.Errorf("the signature field: %w", err)
	}
	return out, nil
}

// ReportDocuments finds issued periodic reports.
type ReportDocuments struct {
	Store ReportFiles
}

// ReportFiles reads issued reports and their frozen files.
type ReportFiles interface {
	GetPlan(ctx context.Context, id int64) (domain.Plan, error)
	GetReportByID(ctx context.Context, planID, id int64) (domain.Report, error)
	ReportFileByID(ctx context.Context, planID, id int64, format string) ([]byte, error)
}

// IssuedDocument is the issued report ref names.
func (r ReportDocuments) IssuedDocument(ctx context.Context, ref DocRef) (IssuedDocument, error) {
	rec, err := r.Store.GetReportByID(ctx, ref.PlanID, ref.ID)
	if err != nil {
		return IssuedDocument{}, err
	}
	if StatusOf(rec) != StatusIssued {
		return IssuedDocument{}, &ConflictError{Detail: fmt.Sprintf("report %s is %s: only an issued report is signed", rec.Period, rec.Status)}
	}
	return issuedOf(ctx, r.Store.GetPlan, ref, r.Store.ReportFileByID, func(plan domain.Plan) string { return Reference(rec, plan) })
}

// issuedOf is the issued document ref of a plan's agency as signing sees
// it: its frozen PDF (file), its number and symbol (reference).
func issuedOf(ctx context.Context, getPlan func(ctx context.Context, id int64) (domain.Plan, error), ref DocRef,
	file func(ctx context.Context, planID, id int64, format string) ([]byte, error), reference func(domain.Plan) string) (IssuedDocument, error) {
	plan, err := getPlan(ctx, ref.PlanID)
	if err != nil {
		return IssuedDocument{}, err
	}
	data, err := file(ctx, ref.PlanID, ref.ID, string(FormatPDF))
	if err != nil {
		return IssuedDocument{}, err
	}
	sum := sha256.Sum256(data)
	d := IssuedDocument{Ref: ref, Reference: reference(plan), Agency: plan.Doc.Agency.Name, PDF: data, SHA256: hex.EncodeToString(sum[:])}
	if s := plan.Doc.Signature; s != nil {
		d.Signer = s.Signer
	}
	return d, nil
}

// LetterDocuments finds issued reminder letters (công văn đôn đốc): their
// frozen PDF carries the empty signature field (IssueLetter).
type LetterDocuments struct {
	Store LetterFiles
}

// LetterFiles reads issued letters and their frozen files.
type LetterFiles interface {
	GetPlan(ctx context.Context, id int64) (domain.Plan, error)
	GetLetter(ctx context.Context, planID, id int64) (domain.Letter, error)
	LetterFile(ctx context.Context, planID, id int64, format string) ([]byte, error)
}

// IssuedFiles reads every signable kind of issued document; *store.Store
// implements it.
type IssuedFiles interface {
	ReportFiles
	LetterFiles
	PlanFiles
}

// IssuedDocument is the issued letter ref names.
func (r LetterDocuments) IssuedDocument(ctx context.Context, ref DocRef) (IssuedDocument, error) {
	l, err := r.Store.GetLetter(ctx, ref.PlanID, ref.ID)
	if err != nil {
		return IssuedDocument{}, err
	}
	if l.Status != domain.ReportIssued {
		return IssuedDocument{}, &ConflictError{Detail: fmt.Sprintf("letter %d of %s is a draft: only an issued letter is signed", l.ID, l.Period)}
	}
	return issuedOf(ctx, r.Store.GetPlan, ref, r.Store.LetterFile, func(domain.Plan) string { return LetterReference(l) })
}

// SignableDocuments are the finders of every signable kind, over st.
func SignableDocuments(st IssuedFiles) map[DocKind]IssuedDocuments {
	return map[DocKind]IssuedDocuments{DocReport: ReportDocuments{Store: st}, DocLetter: LetterDocuments{Store: st}, DocPlan: PlanDocuments{Store: st}}
}
