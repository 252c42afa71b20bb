package signing_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/pdf"
	"baocao/reports/pdf/pdfatest"
	"baocao/signing"
	"baocao/signing/signingtest"
)

// laiChau is the Lai Châu plan and the embedded font family.
func laiChau(t testing.TB) (*doc.Document, *fonts.Family) {
	t.Helper()
	d, err := doc.ReadFile("../testdata/plans/lai-chau-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	fam, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	return d, fam
}

// issued renders the Lai Châu plan as an issued baocao file would be:
// PDF/A, with where its signature goes.
func issued(t testing.TB) ([]byte, pdf.SignatureField) {
	t.Helper()
	d, fam := laiChau(t)
	var f pdf.SignatureField
	out, err := pdf.New(fam).PDFA().OnSignature(func(s pdf.SignatureField) { f = s }).Document(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	return out, f
}

func rectOf(f pdf.SignatureField) signing.Rect { return signing.Rect{f.Left, f.Bottom, f.Right, f.Top} }

// personRect is the signature image's place in the field: 50 mm wide,
// centred, the field's height.
func personRect(f pdf.SignatureField) signing.Rect {
	const w = 50 * 72 / 25.4
	cx := (f.Left + f.Right) / 2
	return signing.Rect{cx - w/2, f.Bottom, cx + w/2, f.Top}
}

func near(a, b signing.Rect) bool {
	for i := range a {
		if a[i]-b[i] > 0.001 || b[i]-a[i] > 0.001 {
			return false
		}
	}
	return true
}

func sha(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// TestSignAndVerify: the whole order of Decree 30 on a baocao file — an
// empty field for the person, the person's PAdES signature with a blue
// image, then the organisation's with the red seal from a SoftHSM2 token
// through PKCS#11 — each verified by baocao and by poppler's pdfsig, the
// file still PDF/A, and the first revision the issued bytes.
func TestSignAndVerify(t *testing.T) {
	doc0, field := issued(t)
	ca := signingtest.NewCA(t, "Ban Cơ yếu Chính phủ (thử)")
	trust := ca.Trust(t)

	toSign, err := signing.AddField(doc0, signing.Appearance{Page: field.Page, Rect: rectOf(field)})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(toSign, doc0) {
		t.Fatal("the field is not an incremental update")
	}
	pdfatest.Check(t, toSign)
	if fs, err := signing.Fields(toSign); err != nil || len(fs) != 1 || fs[0].Signed || fs[0].Page != field.Page || !near(fs[0].Rect, rectOf(field)) {
		t.Errorf("the empty field: %+v %v, want page %d %v", fs, err, field.Page, rectOf(field))
	}

	person := ca.Person(t, "Tổng Thanh Hải", "Ủy ban nhân dân tỉnh Lai Châu")
	when := time.Date(2024, 1, 5, 9, 30, 0, 0, time.FixedZone("ICT", 7*3600))
	signed, err := signing.Sign(toSign, person, signing.Options{Name: "Tổng Thanh Hải", Reason: "Ký ban hành", Location: "Lai Châu", Time: when,
		Appearance: &signing.Appearance{Page: field.Page, Rect: personRect(field), Image: signingtest.BlueSignature(400, 160)}})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := signing.Verify(signed, trust, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Signatures) != 1 {
		t.Fatalf("%d signatures", len(rep.Signatures))
	}
	s := rep.Signatures[0]
	if !s.OK() || s.Level != "B-B" || s.Signer != "Tổng Thanh Hải" || s.Organization != "Ủy ban nhân dân tỉnh Lai Châu" ||
		!s.Time.Equal(when) || s.TimeSource != "claimed" || s.Revision != 3 || len(s.Chain) != 3 {
		t.Errorf("person's signature: %+v", s)
	}
	if rep.FirstRevisionSHA256 != sha(doc0) || rep.FirstRevision != int64(len(doc0)) || rep.Revisions != 3 {
		t.Errorf("first revision %d %s, want the issued %d %s; %d revisions", rep.FirstRevision, rep.FirstRevisionSHA256, len(doc0), sha(doc0), rep.Revisions)
	}

	// The organisation, from the token.
	signingtest.NeedSoftHSM(t)
	hsm := signingtest.SoftHSM(t)
	ca.Organization(t, hsm, "Ủy ban nhân dân tỉnh Lai Châu")
	org, closer, err := signing.OpenPKCS11(hsm)
	if err != nil {
		t.Fatal(err)
	}
	defer closer.Close()
	org.Chain = append(org.Chain, ca.Intermediate)
	seal := signing.SealRect(personRect(field), 36*72/25.4)
	final, err := signing.Sign(signed, org, signing.Options{Name: "Ủy ban nhân dân tỉnh Lai Châu", Reason: "Ký số của cơ quan", Time: when.Add(time.Hour),
		Appearance: &signing.Appearance{Page: field.Page, Rect: seal, Image: signingtest.RedSeal(300)}})
	if err != nil {
		t.Fatal(err)
	}
	rep, err = signing.Verify(final, trust, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Signatures) != 2 {
		t.Fatalf("%d signatures", len(rep.Signatures))
	}
	p, o := rep.Signatures[0], rep.Signatures[1]
	if !p.Valid || !p.Trusted || p.WholeFile || p.Revision != 3 {
		t.Errorf("the person's signature after the organisation's: %+v", p)
	}
	if !o.OK() || o.Level != "B-B" || o.Signer != "Ủy ban nhân dân tỉnh Lai Châu" || o.Revision != 4 {
		t.Errorf("the organisation's signature: %+v", o)
	}
	if rep.FirstRevisionSHA256 != sha(doc0) {
		t.Error("the first revision changed")
	}
	pdfatest.Check(t, final)
	checkPdfsig(t, final, 2)

	dir := os.Getenv("BAOCAO_KEEP")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.WriteFile(filepath.Join(dir, "signed.pdf"), final, 0o644); err != nil {
		t.Fatal(err)
	}

	// Changed after signing: a byte inside the signed bytes, and bytes
	// appended.
	changed := bytes.Clone(final)
	i := bytes.Index(changed, []byte("Lai Ch"))
	changed[i+1] = 'b'
	rep, err = signing.Verify(changed, trust, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range rep.Signatures {
		if s.Valid || s.OK() {
			t.Errorf("a changed file's signature is valid: %+v", s)
		}
	}
	appended := append(bytes.Clone(final), []byte("\n1 0 obj\n<<>>\nendobj\n")...)
	rep, _ = signing.Verify(appended, trust, time.Now())
	if last := rep.Signatures[len(rep.Signatures)-1]; last.WholeFile || last.OK() || !strings.Contains(strings.Join(last.Problems, ";"), "changed after signing") {
		t.Errorf("bytes appended after signing: %+v", last)
	}

	// A certificate of another authority is not trusted.
	rogue := signingtest.NewCA(t, "Khác").Person(t, "Tổng Thanh Hải", "Ủy ban nhân dân tỉnh Lai Châu")
	bySomeone, err := signing.Sign(toSign, rogue, signing.Options{Name: "Tổng Thanh Hải", Time: when})
	if err != nil {
		t.Fatal(err)
	}
	rep, _ = signing.Verify(bySomeone, trust, time.Now())
	if s := rep.Signatures[0]; !s.Valid || s.Trusted || s.OK() || !strings.Contains(strings.Join(s.Problems, ";"), "trust list") {
		t.Errorf("an untrusted signer: %+v", s)
	}
}

// TestTimestamp: with a time-stamping authority the signature is PAdES
// B-T, its time the authority's, and poppler still finds it valid.
func TestTimestamp(t *testing.T) {
	doc0, field := issued(t)
	ca := signingtest.NewCA(t, "CA")
	tsa := ca.TSA(t)
	key := ca.Person(t, "Văn thư", "Ủy ban nhân dân tỉnh Lai Châu")
	before := time.Now().Add(-time.Second)
	out, err := signing.Sign(doc0, key, signing.Options{Name: "Văn thư", TSA: &signing.TSA{URL: tsa.URL},
		Appearance: &signing.Appearance{Page: field.Page, Rect: signing.SealRect(personRect(field), 100), Image: signingtest.RedSeal(200)}})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := signing.Verify(out, ca.Trust(t), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	s := rep.Signatures[0]
	if !s.OK() || s.Level != "B-T" || s.TimeSource != "timestamp" || s.Time.Before(before) || s.Time.After(time.Now()) {
		t.Errorf("timestamped signature: %+v", s)
	}
	pdfatest.Check(t, out)
	checkPdfsig(t, out, 1)
	// An authority that fails: no signature, an error naming it.
	down := httptest.NewServer(http.NotFoundHandler())
	defer down.Close()
	if _, err := signing.Sign(doc0, key, signing.Options{TSA: &signing.TSA{URL: down.URL}}); err == nil || !strings.Contains(err.Error(), down.URL) {
		t.Errorf("a failing authority: %v", err)
	}
}

// checkPdfsig has poppler verify every signature (the CA is not in its
// NSS database, so only the signature's validity is asked).
func checkPdfsig(t *testing.T, data []byte, n int) {
	t.Helper()
	if _, err := exec.LookPath("pdfsig"); err != nil {
		if os.Getenv("BAOCAO_REQUIRE_TOOLS") == "1" {
			t.Fatal("pdfsig is required (poppler-utils)")
		}
		t.Skip("pdfsig not installed")
	}
	p := filepath.Join(t.TempDir(), "s.pdf")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command("pdfsig", "-nocert", p).CombinedOutput()
	text := string(out)
	if got := strings.Count(text, "Signature Validation: Signature is Valid."); got != n {
		t.Errorf("pdfsig: %d valid signatures, want %d:\n%s", got, n, text)
	}
	if !strings.Contains(text, "Total document signed") || !strings.Contains(text, "ETSI.CAdES.detached") {
		t.Errorf("pdfsig:\n%s", text)
	}
}

// TestHostileFiles: whatever the input, a clear error or a report, never
// a panic.
func TestHostileFiles(t *testing.T) {
	doc0, _ := issued(t)
	for name, data := range map[string][]byte{
		"empty":     {},
		"text":      []byte("xin chào"),
		"header":    []byte("%PDF-1.7\n"),
		"truncated": doc0[:len(doc0)/2],
		"no-xref":   bytes.ReplaceAll(doc0, []byte("xref"), []byte("xxxx")),
		"bad-range": []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/AcroForm<</Fields[<</FT/Sig/V<</ByteRange[0 99999999 5 -3]/Contents<00>>>>>]>>>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"),
	} {
		rep, err := signing.Verify(data, nil, time.Now())
		if err == nil && rep == nil {
			t.Errorf("%s: no report and no error", name)
		}
		if err != nil && !errors.Is(err, signing.ErrNotPDF) {
			t.Errorf("%s: %v", name, err)
		}
		if _, err := signing.AddField(data, signing.Appearance{Page: 1, Rect: signing.Rect{0, 0, 10, 10}}); err == nil && name != "no-xref" {
			t.Errorf("%s: a field added", name)
		}
	}
	// A PDF without signatures is a report without any.
	rep, err := signing.Verify(doc0, nil, time.Now())
	if err != nil || len(rep.Signatures) != 0 || rep.FirstRevisionSHA256 != sha(doc0) {
		t.Errorf("unsigned: %+v %v", rep, err)
	}
}

// deepPDF is a well-formed PDF whose catalog nests n arrays, plainly or
// inside a deflated object stream.
func deepPDF(n int, objStm bool) []byte {
	head := "%PDF-1.5\n"
	value := "<</Type/Catalog/AcroForm<</Fields " + strings.Repeat("[", n) + strings.Repeat("]", n) + ">>>>"
	if !objStm {
		obj := "1 0 obj\n" + value + "\nendobj\n"
		return []byte(head + obj + fmt.Sprintf("xref\n0 2\n0000000000 65535 f \n%010d 00000 n \ntrailer\n<</Size 2/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n",
			len(head), len(head)+len(obj)))
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	_, _ = zw.Write([]byte("1 0 " + value))
	_ = zw.Close()
	obj := fmt.Sprintf("2 0 obj\n<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length %d>>\nstream\n", z.Len()) + z.String() + "\nendstream\nendobj\n"
	return []byte(head + obj + "trailer\n<</Size 3/Root 1 0 R>>\n%%EOF\n")
}

// TestDeepNesting: the PDF reader recurses over nested arrays, and a
// stack overflow cannot be recovered; a file nesting them deeply, in the
// file or in an object stream, is refused before it is read.
func TestDeepNesting(t *testing.T) {
	for _, objStm := range []bool{false, true} {
		for _, n := range []int{3, 2_000_000} {
			data := deepPDF(n, objStm)
			_, err := signing.Verify(data, nil, time.Now())
			if n > 100 && (err == nil || !errors.Is(err, signing.ErrNotPDF) || !strings.Contains(err.Error(), "nested")) {
				t.Errorf("nesting %d (object stream %v): %v", n, objStm, err)
			}
			if _, err := signing.Fields(data); n > 100 && err == nil {
				t.Errorf("nesting %d (object stream %v): fields read", n, objStm)
			}
		}
	}
}

// TestPageTreeCycle: a page tree whose kid is its own ancestor (the
// reader would go round it for ever) is refused.
func TestPageTreeCycle(t *testing.T) {
	head := "%PDF-1.4\n"
	o1 := "1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n"
	o2 := "2 0 obj\n<</Type/Pages/Kids[2 0 R]/Count 5>>\nendobj\n"
	x := len(head) + len(o1) + len(o2)
	data := []byte(head + o1 + o2 + fmt.Sprintf("xref\n0 3\n0000000000 65535 f \n%010d 00000 n \n%010d 00000 n \ntrailer\n<</Size 3/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n",
		len(head), len(head)+len(o1), x))
	// Fields whose kids are themselves, thrice over: walked once.
	o1 = "1 0 obj\n<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[3 0 R]>>>>\nendobj\n"
	o2 = "2 0 obj\n<</Type/Pages/Kids[]/Count 0>>\nendobj\n"
	o3 := "3 0 obj\n<</FT/Sig/Kids[3 0 R 3 0 R 3 0 R]>>\nendobj\n"
	x = len(head) + len(o1) + len(o2) + len(o3)
	fields := []byte(head + o1 + o2 + o3 + fmt.Sprintf("xref\n0 4\n0000000000 65535 f \n%010d 00000 n \n%010d 00000 n \n%010d 00000 n \ntrailer\n<</Size 4/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n",
		len(head), len(head)+len(o1), len(head)+len(o1)+len(o2), x))
	if rep, err := signing.Verify(fields, nil, time.Now()); err != nil || len(rep.Signatures) != 0 {
		t.Errorf("self-referencing fields: %+v %v", rep, err)
	}
	for name, f := range map[string]func() error{
		"Verify": func() error { _, err := signing.Verify(data, nil, time.Now()); return err },
		"Fields": func() error { _, err := signing.Fields(data); return err },
		"AddField": func() error {
			_, err := signing.AddField(data, signing.Appearance{Page: 3, Rect: signing.Rect{0, 0, 9, 9}})
			return err
		},
	} {
		if err := f(); !errors.Is(err, signing.ErrNotPDF) || !strings.Contains(err.Error(), "cycle") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// FuzzVerify: Verify never panics (run by hand: go test -fuzz FuzzVerify ./signing).
func FuzzVerify(f *testing.F) {
	doc0, _ := issued(f)
	f.Add(doc0)
	f.Add([]byte("%PDF-1.4\ntrailer<</Root<</AcroForm<</Fields[<</FT/Sig/V<</ByteRange[0 1 2 3]/Contents<3000>>>>>]>>>>>>\n%%EOF"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := signing.Verify(data, nil, time.Now())
		if err == nil && rep == nil {
			t.Fatal("no report and no error")
		}
	})
}

// TestAppendixStamp: a separate appendix file gets the organisation's
// signature at the top right of its first page, without an image: the
// number and symbol and the signing time in ISO 8601 with +07:00, 10 pt,
// in the embedded Liberation Serif (Times New Roman's metrics); poppler
// reads the text there, and the file stays PDF/A.
func TestAppendixStamp(t *testing.T) {
	d, fam := laiChau(t)
	d.Number, d.Date = 15, doc.Date{Year: 2024, Month: 1, Day: 5} // as issued
	app, err := pdf.New(fam).PDFA().Appendix(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	ca := signingtest.NewCA(t, "CA")
	org := ca.Person(t, "Ủy ban nhân dân tỉnh Lai Châu", "Ủy ban nhân dân tỉnh Lai Châu")
	when := time.Date(2024, 1, 5, 2, 30, 0, 0, time.UTC)
	lines := signing.StampLines(d.NumberAndSymbol(), when)
	if len(lines) != 1 || lines[0] != "Số: 15/KH-UBND; thời gian ký: 2024-01-05T09:30:00+07:00" {
		t.Errorf("stamp %q", lines)
	}
	font, err := pdf.FontSubset(fam, fonts.Regular, signing.StampRunes(lines))
	if err != nil {
		t.Fatal(err)
	}
	out, err := signing.Sign(app, org, signing.Options{Name: "Ủy ban nhân dân tỉnh Lai Châu", Time: when,
		Stamp: &signing.Stamp{Lines: lines, Font: font, Name: "BAOCSG+LiberationSerif"}})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := signing.Verify(out, ca.Trust(t), time.Now())
	if err != nil || len(rep.Signatures) != 1 || !rep.Signatures[0].OK() {
		t.Fatalf("%+v %v", rep, err)
	}
	s := rep.Signatures[0]
	if s.Page != 1 {
		t.Errorf("stamp on page %d, want 1", s.Page)
	}
	pdfatest.Check(t, out)
	checkPdfsig(t, out, 1)
	// The text, as a reader extracts it from the top right corner.
	p := filepath.Join(t.TempDir(), "a.pdf")
	if err := os.WriteFile(p, out, 0o644); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("BAOCAO_KEEP"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "appendix-signed.pdf"), out, 0o644)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		w, h := s.Rect[2]-s.Rect[0], s.Rect[3]-s.Rect[1]
		info, _ := exec.Command("pdfinfo", p).Output()
		var pw, ph float64
		if m := regexp.MustCompile(`Page size: +([0-9.]+) x ([0-9.]+)`).FindSubmatch(info); m != nil {
			pw, _ = strconv.ParseFloat(string(m[1]), 64)
			ph, _ = strconv.ParseFloat(string(m[2]), 64)
		}
		if pw-s.Rect[2] > 45 || ph-s.Rect[3] > 30 {
			t.Errorf("the stamp %v is not at the top right of a page %v × %v", s.Rect, pw, ph)
		}
		txt, err := exec.Command("pdftotext", "-f", "1", "-l", "1", "-x", itoa(s.Rect[0]), "-y", itoa(ph-s.Rect[3]), "-W", itoa(w+1), "-H", itoa(h+1), p, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range lines {
			if !strings.Contains(string(txt), l) {
				t.Errorf("the stamp reads %q, want %q", txt, l)
			}
		}
		fontsOut, _ := exec.Command("pdffonts", p).Output()
		if !strings.Contains(string(fontsOut), "BAOCSG+LiberationSerif") {
			t.Errorf("pdffonts:\n%s", fontsOut)
		}
	}
}

func itoa(f float64) string { return strconv.Itoa(int(f)) }

// TestSignIntoField: the competent person's software signs into the empty
// field baocao placed (by its name), as Acrobat or a Vietnamese signing
// tool does; the field is then signed (not a second one added), at its
// page and rectangle, and the organisation's seal goes over its left
// third.
func TestSignIntoField(t *testing.T) {
	doc0, field := issued(t)
	toSign, err := signing.AddField(doc0, signing.Appearance{Page: field.Page, Rect: rectOf(field)})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := signing.Fields(toSign)
	if err != nil || len(fs) != 1 || fs[0].Signed {
		t.Fatalf("fields %+v %v", fs, err)
	}
	ca := signingtest.NewCA(t, "CA")
	person := ca.Person(t, "Tổng Thanh Hải", "Ủy ban nhân dân tỉnh Lai Châu")
	when := time.Date(2024, 1, 5, 9, 30, 0, 0, time.UTC)
	if _, err := signing.Sign(toSign, person, signing.Options{Name: "Tổng Thanh Hải", Time: when, Field: "Không có"}); err == nil ||
		!strings.Contains(err.Error(), "no signature field") {
		t.Errorf("a field that is not there: %v", err)
	}
	signed, err := signing.Sign(toSign, person, signing.Options{Name: "Tổng Thanh Hải", Time: when, Field: fs[0].Name,
		Appearance: &signing.Appearance{Image: signingtest.BlueSignature(400, 160)}})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(signed, toSign) {
		t.Fatal("not an incremental update")
	}
	after, err := signing.Fields(signed)
	if err != nil || len(after) != 1 || !after[0].Signed || after[0].Name != fs[0].Name || after[0].Page != field.Page || !near(after[0].Rect, rectOf(field)) {
		t.Errorf("after signing into the field: %+v %v", after, err)
	}
	trust := ca.Trust(t)
	rep, err := signing.Verify(signed, trust, time.Now())
	if err != nil || len(rep.Signatures) != 1 {
		t.Fatalf("%+v %v", rep, err)
	}
	s := rep.Signatures[0]
	if !s.OK() || s.Field != fs[0].Name || s.Page != field.Page || !near(s.Rect, rectOf(field)) {
		t.Errorf("the person's signature in the field: %+v", s)
	}
	if _, err := signing.Sign(signed, person, signing.Options{Name: "Tổng Thanh Hải", Time: when, Field: fs[0].Name}); err == nil ||
		!strings.Contains(err.Error(), "already signed") {
		t.Errorf("a field signed twice: %v", err)
	}
	pdfatest.Check(t, signed)
	checkPdfsig(t, signed, 1)

	org := ca.Person(t, "Ủy ban nhân dân tỉnh Lai Châu", "Ủy ban nhân dân tỉnh Lai Châu")
	seal := signing.SealRect(s.Rect, 36*72/25.4)
	final, err := signing.Sign(signed, org, signing.Options{Name: "Ủy ban nhân dân tỉnh Lai Châu", Time: when.Add(time.Hour),
		Appearance: &signing.Appearance{Page: s.Page, Rect: seal, Image: signingtest.RedSeal(300)}})
	if err != nil {
		t.Fatal(err)
	}
	rep, err = signing.Verify(final, trust, time.Now())
	if err != nil || len(rep.Signatures) != 2 || !rep.Signatures[1].OK() || !rep.Signatures[0].Valid {
		t.Fatalf("%+v %v", rep, err)
	}
	if o := rep.Signatures[1]; o.Page != field.Page || o.Rect[2]-rectOf(field)[0]-rectOf(field).Width()/3 > 0.01 ||
		o.Rect[2] < rectOf(field)[0] {
		t.Errorf("the seal %v on page %d is not over the left third of the field %v", o.Rect, o.Page, rectOf(field))
	}
	pdfatest.Check(t, final)
	checkPdfsig(t, final, 2)
	if dir := os.Getenv("BAOCAO_KEEP"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "signed-in-field.pdf"), final, 0o644)
	}
}
