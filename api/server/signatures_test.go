package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"baocao/api/auth"
	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/domain"
	"baocao/reports/pdf/pdfatest"
	"baocao/signing"
	"baocao/signing/signingtest"
	"baocao/workflow"
)

// signingSetup is a throwaway CA, the organisation's key in a SoftHSM2
// token and the signing configuration over them.
func signingSetup(t *testing.T) (*signingtest.CA, *workflow.SigningConfig) {
	signingtest.NeedSoftHSM(t)
	ca := signingtest.NewCA(t, "CA thử nghiệm")
	hsm := signingtest.SoftHSM(t)
	ca.Organization(t, hsm, "Ủy ban nhân dân tỉnh Lai Châu")
	return ca, &workflow.SigningConfig{Trust: ca.Trust(t), Seal: signingtest.RedSeal(300),
		OrgKey: func() (*signing.Key, io.Closer, error) {
			k, closer, err := signing.OpenPKCS11(hsm)
			if err != nil {
				return nil, nil, err
			}
			k.Chain = append(k.Chain, ca.Intermediate)
			return k, closer, nil
		}}
}

// TestSignReportFlow signs an issued report the whole way (signFlow), on
// SQLite and PostgreSQL; a draft report is not signed.
func TestSignReportFlow(t *testing.T) {
	ca, cfg := signingSetup(t)
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st, Config{Signing: cfg})
		var p planJSON
		c.expect(c.do("POST", "/api/v1/plans", fixtureJSON(t, "lai-chau-2024")), 201).json(t, &p)
		rep := fmt.Sprintf("/api/v1/plans/%d/reports/2024-Q1", p.ID)
		c.expect(c.do("PUT", rep, map[string]any{"narrative": map[string]any{}}), 201)
		c.expect(c.do("GET", rep+"/to-sign.pdf", nil), 404) // a draft is not signed
		var r reportJSON
		c.expect(c.do("POST", rep+"/issue", map[string]any{"version": 1, "date": "2024-03-20"}), 200).json(t, &r)
		signFlow(t, c, st, ca, signCase{api: rep, sha: r.PDFSHA256, kind: "report", word: "báo cáo", reference: r.Reference})
	})
}

// TestSignLetterFlow: a reminder letter (công văn đôn đốc) goes through
// the same flow as a report (signFlow), on SQLite and PostgreSQL, the
// competent person signing into the empty field baocao placed, as their
// own software does; a draft letter is refused, a reporter reads no
// letter's signatures, and verify names "công văn số 01/UBND-KSTT".
func TestSignLetterFlow(t *testing.T) {
	ca, cfg := signingSetup(t)
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c, base, _ := demoLaiChauWith(t, st, Config{Signing: cfg})
		var l letterJSON
		c.expect(c.do("POST", base+"/letters", map[string]any{"period": "2024-Q1", "parts": map[string]any{}}), 201).json(t, &l)
		self := l.Links["self"]
		for _, try := range []struct{ method, path string }{{"GET", "/to-sign.pdf"}, {"POST", "/organisation-signature"}} {
			pr := c.expect(c.do(try.method, self+try.path, nil), 409).problem(t)
			if !strings.Contains(pr.Detail, "only an issued letter is signed") {
				t.Errorf("%s a draft letter: %+v", try.path, pr)
			}
		}
		c.expect(c.do("GET", self+".pdf/to-sign.pdf", nil), 404)
		var issued letterJSON
		c.expect(c.do("POST", self+"/issue", map[string]any{"date": "2024-03-20"}, "If-Match", `"v1"`), 200).json(t, &issued)
		if issued.Reference != "01/UBND-KSTT" {
			t.Fatalf("issued %+v", issued)
		}
		rp := c.as(auth.RoleReporter, issued.Late[0].Tasks[0].TaskID)
		rp.expect(rp.do("GET", self+"/signatures", nil), 403)
		rp.expect(rp.do("GET", self+"/to-sign.pdf", nil), 403)
		signFlow(t, c, st, ca, signCase{api: self, sha: issued.PDFSHA256, kind: "letter", word: "công văn", reference: "01/UBND-KSTT", into: true})
	})
}

// signCase is an issued document that signFlow signs: its API path, its
// issued PDF's SHA-256, its kind (as verify names it, and the audit
// trail's prefix), the Vietnamese word for it, its number and symbol;
// into: the person signs into the empty field (else in a new field);
// download is the document's PDF download ("": its API path + ".pdf").
type signCase struct {
	api, sha, kind, word, reference string
	into                            bool
	download                        string
}

// signFlow signs an issued document the whole way: the competent person
// downloads it to sign, signs it outside baocao and uploads it; the văn
// thư applies the organisation's signature with the seal from a SoftHSM2
// token; the download then serves the signed bytes, which poppler's
// pdfsig and POST /verify find valid, PDF/A, over exactly the issued
// bytes, the seal over the left third of the person's signature. Refused
// with clear errors: the organisation's signature before the person's,
// an upload whose first revision is another file, a signature by an
// untrusted certificate, a file changed after signing, a second upload.
func signFlow(t *testing.T, c *client, st *store.Store, ca *signingtest.CA, d signCase) {
	t.Helper()
	person := ca.Person(t, "Tổng Thanh Hải", "Ủy ban nhân dân tỉnh Lai Châu")
	rogue := signingtest.NewCA(t, "Không tin cậy").Person(t, "Tổng Thanh Hải", "Ủy ban nhân dân tỉnh Lai Châu")
	pdfHeader := []string{"Content-Type", "application/pdf"}
	rep := d.api
	download := d.download
	if download == "" {
		download = rep + ".pdf"
	}

	// The organisation may not sign first (art. 32.2).
	refused := c.expect(c.do("POST", rep+"/organisation-signature", nil), 409)
	if !strings.Contains(string(refused.body), "signature-order") || !strings.Contains(string(refused.body), "32.2") {
		t.Errorf("organisation first: %s", refused.body)
	}

	toSign := c.expect(c.do("GET", rep+"/to-sign.pdf", nil), 200).body
	issued := c.expect(c.do("GET", download, nil), 200).body
	if !bytes.Equal(toSign, issued) || hex.EncodeToString(sum(issued)) != d.sha {
		t.Fatal("the file to sign is not the frozen issued file")
	}
	pdfatest.Check(t, toSign)
	fields, err := signing.Fields(toSign)
	if err != nil || len(fields) != 1 || fields[0].Signed {
		t.Fatalf("the issued file's signature field: %+v %v", fields, err)
	}
	f := fields[0]
	const w = 50 * 72 / 25.4
	cx := (f.Rect[0] + f.Rect[2]) / 2
	image := &signing.Appearance{Page: f.Page, Rect: signing.Rect{cx - w/2, f.Rect[1], cx + w/2, f.Rect[3]}, Image: signingtest.BlueSignature(400, 160)}
	imageRect := image.Rect
	opt := signing.Options{Name: "Tổng Thanh Hải", Time: time.Date(2024, 3, 20, 10, 0, 0, 0, time.FixedZone("ICT", 7*3600)), Appearance: image}
	if d.into {
		opt.Field, imageRect = f.Name, f.Rect
	}
	sign := func(data []byte, k *signing.Key) []byte {
		out, err := signing.Sign(data, k, opt)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}

	// Refused uploads, each naming the file and why.
	other := bytes.Replace(bytes.Clone(toSign), []byte("/Producer"), []byte("/Producex"), 1)
	for name, tc := range map[string]struct {
		data []byte
		want string
	}{
		"another first revision": {sign(other, person), "first revision is not the issued document"},
		"untrusted certificate":  {sign(toSign, rogue), "trust list"},
		"changed after signing":  {append(sign(toSign, person), []byte("\n% thêm\n")...), "changed after signing"},
		"not a PDF":              {[]byte("xin chào"), "not a PDF"},
		"unsigned":               {toSign, "no signature over the issued document"},
	} {
		res := c.expect(c.do("PUT", rep+"/signed", tc.data, pdfHeader...), 422)
		if !strings.Contains(string(res.body), `"file"`) || !strings.Contains(string(res.body), tc.want) {
			t.Errorf("%s: %s", name, res.body)
		}
	}
	c.expect(c.do("PUT", rep+"/signed", map[string]any{"x": 1}), 415)

	// The person's signed file.
	signed := sign(toSign, person)
	var sj domain.SignedFile
	c.expect(c.do("PUT", rep+"/signed", signed, pdfHeader...), 201).json(t, &sj)
	if sj.Stage != "person" || sj.Signer != "Tổng Thanh Hải" || sj.SHA256 != hex.EncodeToString(sum(signed)) || sj.DocKind != d.kind {
		t.Errorf("person's stage: %+v", sj)
	}
	if got := c.expect(c.do("GET", download, nil), 200).body; !bytes.Equal(got, signed) {
		t.Error("the download is not the person's signed file")
	}
	c.expect(c.do("PUT", rep+"/signed", signed, pdfHeader...), 409)

	// The organisation's.
	c.expect(c.do("POST", rep+"/organisation-signature", nil), 201).json(t, &sj)
	if sj.Stage != "organisation" || sj.Signer != "Ủy ban nhân dân tỉnh Lai Châu" {
		t.Errorf("organisation's stage: %+v", sj)
	}
	c.expect(c.do("POST", rep+"/organisation-signature", nil), 409)
	final := c.expect(c.do("GET", download, nil), 200).body
	if !bytes.HasPrefix(final, signed) || hex.EncodeToString(sum(final)) != sj.SHA256 {
		t.Fatal("the download is not the organisation's signed file over the person's")
	}
	pdfatest.Check(t, final)
	pdfsigValid(t, final, 2)
	if dir := os.Getenv("BAOCAO_KEEP"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, d.kind+"-signed.pdf"), final, 0o644)
	}
	var list struct{ Items []domain.SignedFile }
	c.expect(c.do("GET", rep+"/signatures", nil), 200).json(t, &list)
	list.Items = slices.DeleteFunc(list.Items, func(f domain.SignedFile) bool { return f.DocKind != d.kind }) // a plan's appendix: its own test
	if len(list.Items) != 2 || list.Items[0].Stage != "person" || list.Items[1].Stage != "organisation" {
		t.Errorf("signatures: %+v", list.Items)
	}

	// What a receiver sees.
	var v verifiedJSON
	aud := c.as("auditor", 0)
	aud.expect(aud.do("POST", "/api/v1/verify", final, pdfHeader...), 200).json(t, &v)
	if len(v.Signatures) != 2 || !v.Signatures[1].Valid || !v.Signatures[1].Trusted || !v.Signatures[1].WholeFile ||
		!v.Signatures[0].Valid || v.Signatures[0].WholeFile || v.Signatures[0].Level != "B-B" || v.FirstRevisionSHA256 == "" {
		t.Errorf("verify: %+v", v)
	}
	// The seal covers the left third of the person's signature image.
	if vr, err := signing.Verify(final, nil, time.Now()); err != nil || len(vr.Signatures) != 2 {
		t.Errorf("%+v %v", vr, err)
	} else if ps, seal := vr.Signatures[0], vr.Signatures[1]; !near(ps.Rect, imageRect) || seal.Page != ps.Page ||
		seal.Rect[2]-(imageRect[0]+imageRect.Width()/3) > 0.01 || (imageRect[0]+imageRect.Width()/3)-seal.Rect[2] > 0.01 {
		t.Errorf("the person's signature at %v (want %v), the seal at %v", ps.Rect, imageRect, seal.Rect)
	}
	stages := map[string]bool{}
	for _, m := range v.Issued {
		if m.DocKind != d.kind || m.Reference != d.reference {
			t.Errorf("verify found %+v, want %s %s", m, d.kind, d.reference)
		}
		stages[m.Stage] = true
	}
	if !stages["issued"] || !stages["organisation"] {
		t.Errorf("verify found %+v, want the issued document and the organisation's file", v.Issued)
	}
	changed := bytes.Replace(bytes.Clone(final), []byte("Lai Ch"), []byte("Lbi Ch"), 1)
	c.expect(c.do("POST", "/api/v1/verify", changed, pdfHeader...), 200).json(t, &v)
	for _, s := range v.Signatures {
		if s.Valid {
			t.Errorf("a changed file verifies: %+v", s)
		}
	}
	bad := c.expect(c.do("POST", "/api/v1/verify", []byte("%PDF-1.4 rác"), pdfHeader...), 422)
	if !strings.Contains(string(bad.body), `"file"`) {
		t.Errorf("hostile file: %s", bad.body)
	}

	// The verify page, for anyone logged in: the file uploaded in a
	// form, the answer in Vietnamese.
	mustUser(t, st, "kiemtra", "auditor", 0)
	b := newWebClient(t, c.base)
	b.login("kiemtra", testPassword)
	page := b.postFile("/verify", url.Values{"csrf": {b.csrf("/verify")}}, "file", "van-ban.pdf", final)
	body := string(page.body)
	if page.status != 200 || strings.Count(body, "Hợp lệ") != 2 || !strings.Contains(body, "Toàn bộ tệp") ||
		!strings.Contains(body, "Tổng Thanh Hải") || !strings.Contains(body, "Là "+d.word+" số "+d.reference+" do hệ thống này ban hành, đã có chữ ký số của cơ quan, tổ chức") {
		t.Errorf("verify page: %d\n%s", page.status, body)
	}
	page = b.postFile("/verify", url.Values{"csrf": {b.csrf("/verify")}}, "file", "rac.pdf", []byte("không phải PDF"))
	if page.status != 422 || !strings.Contains(string(page.body), `id="file-error"`) {
		t.Errorf("verify page, not a PDF: %d\n%s", page.status, page.body)
	}
	if page := b.postFile("/verify", url.Values{"csrf": {"sai"}}, "file", "van-ban.pdf", final); page.status != 403 {
		t.Errorf("verify page without its CSRF token: %d", page.status)
	}

	// Every step is in the trail.
	var trail struct {
		Items []struct{ Action, Detail string }
	}
	c.expect(c.do("GET", "/api/v1/audit?action="+d.kind+".sign", nil), 200).json(t, &trail)
	seen := map[string]bool{}
	for _, e := range trail.Items {
		seen[e.Action] = true
	}
	for _, a := range []string{".sign.download", ".sign.person", ".sign.organisation"} {
		if !seen[d.kind+a] {
			t.Errorf("no %s in the trail: %+v", d.kind+a, trail.Items)
		}
	}
	// Signed files are frozen.
	for _, q := range []string{"UPDATE signed_files SET signer = 'x'", "DELETE FROM signed_files"} {
		if err := st.Exec(context.Background(), q); err == nil || !strings.Contains(err.Error(), "frozen") {
			t.Errorf("%s: %v", q, err)
		}
	}
}

// near says whether two rectangles are the same to 0.01 pt.
func near(a, b signing.Rect) bool {
	for i := range a {
		if a[i]-b[i] > 0.01 || b[i]-a[i] > 0.01 {
			return false
		}
	}
	return true
}

// TestSignReportPage: the signing steps from the report page, as the
// secretariat (signPageSteps).
func TestSignReportPage(t *testing.T) {
	ca, cfg := signingSetup(t)
	st := storetest.SQLite(t)
	c := newClient(t, st, Config{Signing: cfg})
	var p planJSON
	c.expect(c.do("POST", "/api/v1/plans", fixtureJSON(t, "lai-chau-2024")), 201).json(t, &p)
	rep := fmt.Sprintf("/api/v1/plans/%d/reports/2024-Q1", p.ID)
	c.expect(c.do("PUT", rep, map[string]any{"narrative": map[string]any{}}), 201)
	c.expect(c.do("POST", rep+"/issue", map[string]any{"version": 1, "date": "2024-03-20"}), 200)
	signPageSteps(t, c, st, ca, fmt.Sprintf("/plans/%d/reports/2024-Q1", p.ID))
}

// TestSignLetterPage: the same steps from an issued letter's page; a
// draft letter's page has none and refuses them.
func TestSignLetterPage(t *testing.T) {
	ca, cfg := signingSetup(t)
	st := storetest.SQLite(t)
	c, base, _ := demoLaiChauWith(t, st, Config{Signing: cfg})
	var l letterJSON
	c.expect(c.do("POST", base+"/letters", map[string]any{"period": "2024-Q1", "parts": map[string]any{}}), 201).json(t, &l)
	page := l.Links["page"]
	mustUser(t, st, "vanphong2", "secretariat", 0)
	b := newWebClient(t, c.base)
	b.login("vanphong2", testPassword)
	if body := string(b.get(page).body); strings.Contains(body, `id="signatures"`) {
		t.Errorf("a draft letter's page shows the signing steps:\n%s", body)
	}
	if r := b.post(page+"/organisation-signature", url.Values{"csrf": {b.csrf(page)}}); r.status != 409 || !strings.Contains(string(r.body), "Chỉ ký số được văn bản đã ban hành") {
		t.Errorf("a draft letter signed: %d %s", r.status, r.body)
	}
	c.expect(c.do("POST", l.Links["issue"], map[string]any{"date": "2024-03-20"}, "If-Match", `"v1"`), 200)
	signPageSteps(t, c, st, ca, page)
}

// signPageSteps runs the signing steps from an issued document's page
// (its path page, its API path "/api/v1"+page), as the secretariat: the
// state of the signatures, the download to sign, a refused upload with
// its reason beside the field, the person's file, the organisation's
// button, the signed download (at download, when given).
func signPageSteps(t *testing.T, c *client, st *store.Store, ca *signingtest.CA, page string, download ...string) {
	t.Helper()
	api := "/api/v1" + page
	pdfPath := api + ".pdf"
	if len(download) > 0 {
		pdfPath = download[0]
	}
	mustUser(t, st, "vanphong", "secretariat", 0)
	b := newWebClient(t, c.base)
	b.login("vanphong", testPassword)
	body := string(b.get(page).body)
	if !strings.Contains(body, "Người có thẩm quyền: chưa ký") || !strings.Contains(body, api+"/to-sign.pdf") {
		t.Fatalf("page:\n%s", body)
	}
	toSign := b.get(api + "/to-sign.pdf").body
	fields, err := signing.Fields(toSign)
	if err != nil || len(fields) != 1 {
		t.Fatalf("fields %v %v", fields, err)
	}
	person := ca.Person(t, "Tổng Thanh Hải", "Ủy ban nhân dân tỉnh Lai Châu")
	signed, err := signing.Sign(toSign, person, signing.Options{Name: "Tổng Thanh Hải",
		Appearance: &signing.Appearance{Page: fields[0].Page, Rect: fields[0].Rect, Image: signingtest.BlueSignature(400, 160)}})
	if err != nil {
		t.Fatal(err)
	}
	r := b.postFile(page+"/signed", url.Values{"csrf": {b.csrf(page)}}, "file", "da-ky.pdf", append(bytes.Clone(signed), "\n%x\n"...))
	if r.status != 422 || !strings.Contains(string(r.body), `id="file-error"`) || !strings.Contains(string(r.body), "đã bị thay đổi sau khi ký") {
		t.Errorf("a file changed after signing: %d\n%s", r.status, r.body)
	}
	if r := b.postFile(page+"/signed", url.Values{"csrf": {b.csrf(page)}}, "file", "da-ky.pdf", signed); r.status != 303 {
		t.Fatalf("upload: %d %s", r.status, r.body)
	}
	body = string(b.get(page).body)
	if !strings.Contains(body, "Người có thẩm quyền: <strong>đã ký</strong> (Tổng Thanh Hải") || !strings.Contains(body, page+"/organisation-signature") {
		t.Fatalf("after the person's signature:\n%s", body)
	}
	if r := b.post(page+"/organisation-signature", url.Values{"csrf": {b.csrf(page)}}); r.status != 303 {
		t.Fatalf("organisation: %d %s", r.status, r.body)
	}
	if body = string(b.get(page).body); !strings.Contains(body, "Cơ quan, tổ chức: <strong>đã ký</strong>") {
		t.Errorf("after the organisation's signature:\n%s", body)
	}
	final := b.get(pdfPath).body
	pdfsigValid(t, final, 2)
}

// TestRenderPDFA: the stateless render makes PDF/A-2b on request
// (pdfa=true), and refuses another value naming the parameter.
func TestRenderPDFA(t *testing.T) {
	c := newClient(t, storetest.SQLite(t), Config{})
	for _, what := range []string{"plan", "appendix"} {
		r := c.expect(c.do("POST", "/api/v1/render?doc="+what+"&format=pdf&pdfa=true", fixtureJSON(t, "lai-chau-2024")), 200)
		pdfatest.Check(t, r.body)
	}
	r := c.expect(c.do("POST", "/api/v1/render?doc=plan&pdfa=yes", fixtureJSON(t, "lai-chau-2024")), 422)
	if !strings.Contains(string(r.body), `"pdfa"`) {
		t.Errorf("%s", r.body)
	}
	if r := c.expect(c.do("POST", "/api/v1/render?doc=plan", fixtureJSON(t, "lai-chau-2024")), 200); bytes.Contains(r.body, []byte("/OutputIntents")) {
		t.Error("a plain render is PDF/A")
	}
}

func sum(b []byte) []byte { s := sha256.Sum256(b); return s[:] }

// pdfsigValid has poppler check the signatures.
func pdfsigValid(t *testing.T, data []byte, n int) {
	t.Helper()
	p, ok := toolFile(t, "pdfsig", data)
	if !ok {
		return
	}
	out, _ := exec.Command("pdfsig", "-nocert", p).CombinedOutput()
	if got := strings.Count(string(out), "Signature Validation: Signature is Valid."); got != n {
		t.Errorf("pdfsig: %d valid signatures, want %d:\n%s", got, n, out)
	}
}
