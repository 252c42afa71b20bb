package jobs

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"baocao/api/auth"
	"baocao/api/demo"
	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/domain"
	"baocao/reports/period"
	"baocao/reports/progress"
	"baocao/workflow"
)

// smtpSink is a real SMTP server (aiosmtpd) writing what it receives to
// a directory.
type smtpSink struct {
	port int
	dir  string
}

// startSMTP starts testdata/smtp_sink.py (plain; with tlsFiles, a
// certificate and its key, STARTTLS and a login required); without
// aiosmtpd the test is skipped, unless BAOCAO_REQUIRE_TOOLS=1 (CI), where
// it fails.
func startSMTP(t *testing.T, tlsFiles ...string) *smtpSink {
	t.Helper()
	if err := exec.Command("/usr/bin/python3", "-c", "import aiosmtpd").Run(); err != nil {
		if os.Getenv("BAOCAO_REQUIRE_TOOLS") == "1" {
			t.Fatal("aiosmtpd is required (BAOCAO_REQUIRE_TOOLS=1): run .ci/install-deps")
		}
		t.Skip("aiosmtpd (python3-aiosmtpd) is not installed")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	dir := t.TempDir()
	cmd := exec.Command("/usr/bin/python3", append([]string{"testdata/smtp_sink.py", itoa(int64(port)), dir}, tlsFiles...)...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errs bytes.Buffer // the server's complaints, shown when the test fails
	cmd.Stderr = &errs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("SMTP server:\n%s", errs.String())
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "ready" {
		t.Fatalf("SMTP server: %q %v", line, err)
	}
	return &smtpSink{port: port, dir: dir}
}

func (s *smtpSink) config() MailConfig {
	return MailConfig{Host: "127.0.0.1", Port: s.port, TLS: "none", From: "Văn phòng UBND tỉnh <baocao@laichau.gov.vn>"}
}

// received is one message as the server got it, decoded.
type received struct {
	To      []string // the envelope's recipients
	TLS     bool     // the session was encrypted (STARTTLS)
	Auth    bool     // and logged in
	Header  mail.Header
	Subject string
	Body    string
}

func (s *smtpSink) messages(t *testing.T) []received {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join(s.dir, "*.eml"))
	slices.Sort(names)
	var out []received
	for _, n := range names {
		raw, err := os.Open(n)
		if err != nil {
			t.Fatal(err)
		}
		m, err := mail.ReadMessage(raw)
		if err != nil {
			t.Fatal(err)
		}
		var env struct {
			To        []string
			TLS, Auth bool
		}
		data, err := os.ReadFile(strings.TrimSuffix(n, ".eml") + ".json")
		if err != nil || json.Unmarshal(data, &env) != nil {
			t.Fatalf("envelope of %s: %v", n, err)
		}
		subj, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
		if err != nil {
			t.Fatal(err)
		}
		var body io.Reader = m.Body
		if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
			body = quotedprintable.NewReader(m.Body)
		}
		b, err := io.ReadAll(body)
		raw.Close()
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(env.To)
		out = append(out, received{To: env.To, TLS: env.TLS, Auth: env.Auth, Header: m.Header, Subject: subj, Body: strings.ReplaceAll(string(b), "\r\n", "\n")})
	}
	return out
}

// vnDate is noon in Vietnam on a day.
func vnDate(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 12, 0, 0, 0, period.Vietnam)
}

// mailFixture loads the demo data and adds accounts with e-mail
// addresses: two reporters of Văn phòng UBND tỉnh (and a disabled one,
// one without an address), a reporter of another agency, a secretariat.
func mailFixture(t *testing.T, st *store.Store) (laiChau domain.Plan, agencyOf map[string]int64) {
	t.Helper()
	ctx := context.Background()
	if err := demo.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	list, _, err := st.ListPlans(ctx, domain.PlanFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list {
		if strings.Contains(p.AgencyName, "Lai Châu") {
			laiChau, err = st.GetPlan(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	agencies, err := st.ListAgencies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	agencyOf = map[string]int64{}
	for _, a := range agencies {
		agencyOf[a.Name] = a.ID
	}
	vp := agencyOf["Văn phòng UBND tỉnh"]
	if laiChau.ID == 0 || vp == 0 {
		t.Fatalf("demo data: plan %d, agency %d", laiChau.ID, vp)
	}
	add := func(user, role string, agency int64, email string, disabled bool) {
		if _, err := st.CreateUser(ctx, domain.UserInput{Username: user, Role: role, AgencyID: agency, Password: "mật khẩu dài đủ 12", Email: email}); err != nil {
			t.Fatal(err)
		}
		if disabled {
			if err := st.SetDisabled(ctx, user, true); err != nil {
				t.Fatal(err)
			}
		}
	}
	add("vp1", auth.RoleReporter, vp, "hoa.nt@laichau.gov.vn", false)
	add("vp2", auth.RoleReporter, vp, "minh.lv@laichau.gov.vn", false)
	add("vp3", auth.RoleReporter, vp, "", false)
	add("vp4", auth.RoleReporter, vp, "nghi@laichau.gov.vn", true)
	add("thuky", auth.RoleSecretariat, 0, "vanphong@laichau.gov.vn", false)
	add("dai", auth.RoleReporter, agencyOf["Đài Phát thanh – Truyền hình tỉnh"], "dai@laichau.gov.vn", false)
	for name, id := range agencyOf {
		if name != "Văn phòng UBND tỉnh" && strings.HasPrefix(name, "Sở Nội vụ") {
			add("snv", auth.RoleReporter, id, "snv@laichau.gov.vn", false)
			break
		}
	}
	return laiChau, agencyOf
}

// TestReminderMail: before the due date of the first half of 2024, the
// scan enqueues reminders; their e-mails reach a real SMTP server, one
// per lead agency, to its reporters with an address, in Vietnamese
// (UTF-8), listing the agency's tasks due and not done; once sent, they
// are not sent again. After the due date, the overdue reminder goes.
func TestReminderMail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		sink := startSMTP(t)
		clk := &clock{t: vnDate(2024, time.June, 13)}
		st.SetClock(clk.Now)
		plan, _ := mailFixture(t, st)
		s := newService(t, st, Config{Now: clk.Now, Mail: sink.config(), BaseURL: "https://baocao.laichau.gov.vn"})
		ctx := context.Background()
		due, err := s.Scan(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var mine []Due
		for _, d := range due {
			if a, ok := d.Args.(RemindArgs); ok && a.PlanID == plan.ID {
				mine = append(mine, d)
			}
		}
		if len(mine) != 1 || mine[0].Args.(RemindArgs) != (RemindArgs{PlanID: plan.ID, Period: "2024-H1", When: WhenBefore}) {
			t.Fatalf("due on 13/06/2024: %+v", due)
		}
		// What the Văn phòng UBND tỉnh must still report, from the board.
		board, err := s.wf.Board(ctx, plan, period.Period{Year: 2024, Kind: period.Half}, period.Day(clk.Now()))
		if err != nil {
			t.Fatal(err)
		}
		var want, done []progress.Row
		for _, r := range board.Rows {
			for _, l := range r.Agencies {
				if l.Agency == "Văn phòng UBND tỉnh" {
					if progress.IsDone(l.Status) || l.Status == progress.Ongoing {
						done = append(done, r)
					} else {
						want = append(want, r)
					}
				}
			}
		}
		if len(want) == 0 || len(done) == 0 {
			t.Fatalf("the demo has %d tasks to remind of and %d not for Văn phòng UBND tỉnh", len(want), len(done))
		}
		waitFor(t, "the reminders", func() bool {
			marked, err := st.Marked(ctx, "remind-before", itoa(plan.ID)+"/2024-H1")
			return err == nil && marked
		})
		msgs := sink.messages(t)
		var vp *received
		for i, m := range msgs {
			if strings.HasPrefix(m.Body, "Kính gửi: Văn phòng UBND tỉnh\n") {
				vp = &msgs[i]
			}
		}
		if vp == nil {
			t.Fatalf("no reminder to Văn phòng UBND tỉnh among %d messages: %+v", len(msgs), msgs)
		}
		if !slices.Equal(vp.To, []string{"hoa.nt@laichau.gov.vn", "minh.lv@laichau.gov.vn"}) {
			t.Errorf("recipients %v", vp.To)
		}
		if vp.Subject != "Nhắc báo cáo 6 tháng đầu năm 2024: hạn ngày 15/06/2024" {
			t.Errorf("subject %q", vp.Subject)
		}
		if ct := vp.Header.Get("Content-Type"); !strings.Contains(ct, "text/plain") || !strings.Contains(strings.ToLower(ct), "utf-8") {
			t.Errorf("content type %q", ct)
		}
		if from, _ := new(mime.WordDecoder).DecodeHeader(vp.Header.Get("From")); !strings.Contains(from, "Văn phòng UBND tỉnh") {
			t.Errorf("from %q", from)
		}
		if !utf8.ValidString(vp.Body) || !strings.Contains(vp.Body, "Hạn báo cáo 6 tháng đầu năm 2024") ||
			!strings.Contains(vp.Body, "https://baocao.laichau.gov.vn/plans/"+itoa(plan.ID)) {
			t.Errorf("body:\n%s", vp.Body)
		}
		for _, r := range want {
			line := itoa(int64(r.Number)) + ". " + oneLine(progress.Plain(r.Content))
			if !strings.Contains(vp.Body, line) {
				t.Errorf("task %d missing:\n%s\nin\n%s", r.Number, line, vp.Body)
			}
		}
		for _, r := range done {
			if strings.Contains(vp.Body, "\n"+itoa(int64(r.Number))+". ") {
				t.Errorf("task %d is done but listed", r.Number)
			}
		}
		for _, m := range msgs {
			if slices.Contains(m.To, "nghi@laichau.gov.vn") || slices.Contains(m.To, "vanphong@laichau.gov.vn") {
				t.Errorf("a reminder to %v", m.To)
			}
		}

		// Once sent, never again.
		n := len(msgs)
		if due, err := s.Scan(ctx); err != nil || len(due) != 0 {
			t.Errorf("second scan: %v %+v", err, due)
		}
		if err := s.Remind(ctx, RemindArgs{PlanID: plan.ID, Period: "2024-H1", When: WhenBefore}); err != nil {
			t.Fatal(err)
		}
		if got := len(sink.messages(t)); got != n {
			t.Errorf("%d messages after a second run, want %d", got, n)
		}

		// After the due date: the overdue reminder.
		clk.Set(vnDate(2024, time.June, 17))
		if _, err := s.Scan(ctx); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the overdue reminders", func() bool {
			marked, err := st.Marked(ctx, "remind-overdue", itoa(plan.ID)+"/2024-H1")
			return err == nil && marked
		})
		// By then Văn phòng UBND tỉnh has reported (the demo's Quý II
		// reports); the Đài has not.
		var overdue []received
		for _, m := range sink.messages(t)[n:] {
			if strings.HasPrefix(m.Subject, "Quá hạn báo cáo 6 tháng đầu năm 2024") {
				overdue = append(overdue, m)
			}
		}
		if len(overdue) != 1 || !slices.Equal(overdue[0].To, []string{"dai@laichau.gov.vn"}) ||
			!strings.HasPrefix(overdue[0].Body, "Kính gửi: Đài Phát thanh – Truyền hình tỉnh\n\nĐã quá hạn báo cáo 6 tháng đầu năm 2024") {
			t.Errorf("overdue reminders: %+v", overdue)
		}
	})
}

// TestReminderRecipients: a reminder reaches the lead agency's reporters
// through the agency directory and the reporter's agency id, not by the
// agency's name as written: a reporter whose account is on another record
// of the Đài in the province, named by one of its aliases, gets the Đài's
// reminder; a reporter of a same-named Đài in another province gets none.
// On SQLite and PostgreSQL.
func TestReminderRecipients(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		clk := &clock{t: vnDate(2024, time.June, 13)}
		st.SetClock(clk.Now)
		plan, agencyOf := mailFixture(t, st)
		ctx := context.Background()
		create := func(name string, parent int64) int64 {
			t.Helper()
			in := domain.AgencyInput{AgencyFields: domain.AgencyFields{Name: name}}
			if parent != 0 {
				in.ParentID = &parent
			}
			a, err := st.CreateAgency(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			return a.ID
		}
		reporter := func(user string, agency int64, email string) {
			t.Helper()
			if _, err := st.CreateUser(ctx, domain.UserInput{Username: user, Role: auth.RoleReporter, AgencyID: agency, Password: "mật khẩu dài đủ 12", Email: email}); err != nil {
				t.Fatal(err)
			}
		}
		// Another record of the Đài in Lai Châu (under the Văn phòng),
		// named as the demo's alias writes it, with a different case.
		reporter("dai2", create("Đài Phát thanh truyền hình tỉnh", agencyOf["Văn phòng UBND tỉnh"]), "dai2@laichau.gov.vn")
		// The Đài of another province: the same name, another agency.
		reporter("dbdai", create("Đài Phát thanh – Truyền hình tỉnh", create("Ủy ban nhân dân tỉnh Điện Biên", 0)), "dai@dienbien.gov.vn")

		s := newService(t, st, Config{Now: clk.Now})
		rems, err := s.Reminders(ctx, RemindArgs{PlanID: plan.ID, Period: "2024-H1", When: WhenBefore})
		if err != nil {
			t.Fatal(err)
		}
		to := map[string][]string{}
		for _, r := range rems {
			slices.Sort(r.To)
			to[r.Agency] = r.To
		}
		if got := to["Đài Phát thanh – Truyền hình tỉnh"]; !slices.Equal(got, []string{"dai2@laichau.gov.vn", "dai@laichau.gov.vn"}) {
			t.Errorf("the Đài's reminder goes to %v", got)
		}
		if got := to["Văn phòng UBND tỉnh"]; !slices.Equal(got, []string{"hoa.nt@laichau.gov.vn", "minh.lv@laichau.gov.vn"}) {
			t.Errorf("the Văn phòng's reminder goes to %v", got)
		}
		for ag, addrs := range to {
			if slices.Contains(addrs, "dai@dienbien.gov.vn") {
				t.Errorf("the Điện Biên Đài gets %s's reminder", ag)
			}
		}
	})
}

// TestPeriodDraft: once the due date of a period has passed, its report
// is drafted through the workflow and the secretariat told by e-mail,
// once; a period with a report already is not drafted again.
func TestPeriodDraft(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		sink := startSMTP(t)
		clk := &clock{t: vnDate(2024, time.June, 17)}
		st.SetClock(clk.Now)
		plan, _ := mailFixture(t, st)
		s := newService(t, st, Config{Now: clk.Now, Mail: sink.config(), NotifyTo: []string{"lanhdao@laichau.gov.vn"}})
		ctx := context.Background()
		if _, err := st.GetReport(ctx, plan.ID, "2024-H1"); err == nil {
			t.Fatal("the demo has a report for 2024-H1 already")
		}
		if _, err := s.Scan(ctx); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the draft", func() bool {
			marked, err := st.Marked(ctx, "prepare", itoa(plan.ID)+"/2024-H1")
			return err == nil && marked
		})
		rec, err := st.GetReport(ctx, plan.ID, "2024-H1")
		if err != nil || rec.Status != domain.ReportDraft {
			t.Fatalf("draft: %+v %v", rec, err)
		}
		var notice *received
		msgs := sink.messages(t)
		for i, m := range msgs {
			if strings.HasPrefix(m.Subject, "Dự thảo báo cáo 6 tháng đầu năm 2024") {
				if notice != nil {
					t.Error("two notices")
				}
				notice = &msgs[i]
			}
		}
		if notice == nil {
			t.Fatalf("no notice among %d messages", len(msgs))
		}
		if !slices.Equal(notice.To, []string{"lanhdao@laichau.gov.vn", "vanphong@laichau.gov.vn"}) {
			t.Errorf("notice to %v", notice.To)
		}
		if !strings.Contains(notice.Body, "Hệ thống đã lập dự thảo báo cáo") || !strings.Contains(notice.Body, "/plans/"+itoa(plan.ID)+"/reports/2024-H1") {
			t.Errorf("notice:\n%s", notice.Body)
		}
		// The reminder letter to the agencies late, drafted through the
		// letters workflow as the system, named with its link.
		letters, err := st.ListLetters(ctx, plan.ID)
		if err != nil || len(letters) != 1 || letters[0].Period != "2024-H1" || letters[0].Status != domain.ReportDraft ||
			letters[0].CreatedBy != "baocao (tự động)" {
			t.Fatalf("letters %+v %v", letters, err)
		}
		lt := letters[0]
		if !strings.Contains(notice.Body, "Hệ thống đã lập dự thảo công văn đôn đốc") ||
			!strings.Contains(notice.Body, "/plans/"+itoa(plan.ID)+"/letters/"+itoa(lt.ID)+".") ||
			!strings.Contains(notice.Body, "Đài Phát thanh – Truyền hình tỉnh") || !strings.Contains(notice.Body, "Số liệu đến ngày 15/06/2024") {
			t.Errorf("the notice does not name the letter %d:\n%s", lt.ID, notice.Body)
		}
		if marked, err := st.Marked(ctx, "letter", itoa(plan.ID)+"/2024-H1"); err != nil || !marked {
			t.Errorf("the letter is not marked: %v %v", marked, err)
		}
		trail, _, err := st.AuditLog(ctx, store.AuditFilter{Action: "letter.create", Limit: 10})
		if err != nil || len(trail) != 1 || trail[0].Actor != "baocao (tự động)" {
			t.Errorf("trail %+v %v", trail, err)
		}
		// The letter is the one the secretariat would draft: it reminds
		// the agencies late as of the due date's next days, and renders.
		data, err := s.wf.PreviewLetter(ctx, systemActor, s.render, plan, lt, workflow.FormatPDF)
		if err != nil || !bytes.HasPrefix(data, []byte("%PDF")) {
			t.Errorf("the drafted letter does not render: %v", err)
		}

		// Done once: a second run changes nothing, nor a letter asked again.
		if err := s.Prepare(ctx, PrepareArgs{PlanID: plan.ID, Period: "2024-H1"}); err != nil {
			t.Fatal(err)
		}
		again, err := st.GetReport(ctx, plan.ID, "2024-H1")
		if err != nil || again.ID != rec.ID || again.Version != rec.Version {
			t.Errorf("drafted again: %+v", again)
		}
		if d, err := s.DraftLetter(ctx, plan, period.Period{Year: 2024, Kind: period.Half}); err != nil || d == nil || d.Letter.ID != lt.ID {
			t.Errorf("the letter asked again: %+v %v", d, err)
		}
		clk.Set(vnDate(2024, time.June, 19))
		if _, err := s.Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if letters, err := st.ListLetters(ctx, plan.ID); err != nil || len(letters) != 1 {
			t.Errorf("letters after a later scan: %+v %v", letters, err)
		}
		// A period nobody is late in (the plan has no task due in 2023):
		// no letter, marked done.
		if d, err := s.DraftLetter(ctx, plan, period.Period{Year: 2023, Kind: period.Q1}); err != nil || d != nil {
			t.Errorf("a letter for 2023-Q1: %+v %v", d, err)
		}
		if marked, _ := st.Marked(ctx, "letter", itoa(plan.ID)+"/2023-Q1"); !marked {
			t.Error("2023-Q1 not marked")
		}
	})
}

// TestCleanup: expired sessions, results and inputs, and old temporary
// files go; live ones stay.
func TestCleanup(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		clk := &clock{t: time.Now()}
		st.SetClock(clk.Now)
		tmp := t.TempDir()
		s := newService(t, st, Config{Now: clk.Now, TempDir: tmp})
		ctx := context.Background()
		u, err := st.CreateUser(ctx, domain.UserInput{Username: "a", Role: auth.RoleAdmin, Password: "mật khẩu dài đủ 12"})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.CreateSession(ctx, u.ID, "", time.Hour); err != nil {
			t.Fatal(err)
		}
		live, _, _ := st.CreateSession(ctx, u.ID, "", 48*time.Hour)
		_ = st.SaveJobResult(ctx, store.JobResult{JobID: 1, Name: "a", Data: []byte("x"), CreatedAt: clk.Now(), ExpiresAt: clk.Now().Add(time.Hour)})
		_ = st.SaveJobResult(ctx, store.JobResult{JobID: 2, Name: "b", Data: []byte("y"), CreatedAt: clk.Now(), ExpiresAt: clk.Now().Add(48 * time.Hour)})
		oldIn, _ := st.SaveJobInput(ctx, []byte("{}"))
		old := filepath.Join(tmp, "baocao-export-1")
		other := filepath.Join(tmp, "someone-else")
		for _, f := range []string{old, other} {
			if err := os.WriteFile(f, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			_ = os.Chtimes(f, time.Now().Add(-48*time.Hour), time.Now().Add(-48*time.Hour))
		}
		fresh := filepath.Join(tmp, "baocao-export-2")
		_ = os.WriteFile(fresh, nil, 0o600)
		clk.Set(clk.Now().Add(25 * time.Hour))
		newIn, _ := st.SaveJobInput(ctx, []byte("{}"))
		got, err := s.Cleanup(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got != (Cleaned{Swept: store.Swept{Sessions: 1, Results: 1, Inputs: 1}, Files: 1}) {
			t.Errorf("cleaned %+v", got)
		}
		if _, err := st.GetSession(ctx, live); err != nil {
			t.Errorf("live session removed: %v", err)
		}
		if _, ok, _ := st.JobResultMeta(ctx, 1); ok {
			t.Error("expired result kept")
		}
		if _, ok, _ := st.JobResultMeta(ctx, 2); !ok {
			t.Error("live result removed")
		}
		if _, err := st.JobInput(ctx, oldIn); err == nil {
			t.Error("stale input kept")
		}
		if _, err := st.JobInput(ctx, newIn); err != nil {
			t.Error("new input removed")
		}
		for f, want := range map[string]bool{old: false, other: true, fresh: true} {
			if _, err := os.Stat(f); (err == nil) != want {
				t.Errorf("%s: exists %v, want %v", f, err == nil, want)
			}
		}
	})
}

// TestMailSTARTTLS: with STARTTLS required (the default), mail goes over
// TLS to a server whose certificate the configured CA signed, logged in;
// a server whose certificate is not trusted gets nothing.
func TestMailSTARTTLS(t *testing.T) {
	dir := t.TempDir()
	cert, key := selfSigned(t, dir)
	sink := startSMTP(t, cert, key)
	pool, err := LoadCAs(cert)
	if err != nil {
		t.Fatal(err)
	}
	cfg := MailConfig{Host: "127.0.0.1", Port: sink.port, From: "baocao@laichau.gov.vn", Username: "baocao", Password: "smtp-mat-khau", RootCAs: pool,
		Timeout: 5 * time.Second}
	msg := Message{To: []string{"hoa.nt@laichau.gov.vn"}, Subject: "Nhắc báo cáo Quý I năm 2024", Body: "Kính gửi: Văn phòng UBND tỉnh\n"}
	ctx := context.Background()
	if err := newSMTP(cfg).Send(ctx, msg); err != nil {
		t.Fatal(err)
	}
	got := sink.messages(t)
	if len(got) != 1 || !got[0].TLS || !got[0].Auth || got[0].Subject != msg.Subject || got[0].Body != msg.Body {
		t.Fatalf("received %+v", got)
	}
	cfg.RootCAs = nil // the system's authorities do not know the test's
	if err := newSMTP(cfg).Send(ctx, msg); err == nil {
		t.Error("sent to a server with an untrusted certificate")
	}
	cfg.RootCAs, cfg.Password = pool, "sai"
	if err := newSMTP(cfg).Send(ctx, msg); err == nil {
		t.Error("sent with a wrong password")
	}
	cfg.TLS, cfg.Password = "none", "smtp-mat-khau"
	if err := newSMTP(cfg).Send(ctx, msg); err == nil {
		t.Error("sent in the clear to a server that requires STARTTLS")
	}
	if n := len(sink.messages(t)); n != 1 {
		t.Errorf("%d messages, want 1", n)
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key.
func selfSigned(t *testing.T, dir string) (cert, key string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	cert, key = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	return cert, key
}
