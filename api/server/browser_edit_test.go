package server

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"baocao/api/auth"
)

// The editing pages in headless Chromium, each flow at a laptop's width
// and at a phone's (390 px): what the secretariat and the administrator
// see, type and click. BAOCAO_SCREENSHOTS=DIR saves the pages.

// atWidths runs a flow in a new browser at each width.
func atWidths(t *testing.T, flow func(t *testing.T, ctx context.Context, phone bool, dir string)) {
	for _, w := range []struct {
		name  string
		phone bool
	}{{"desktop", false}, {"phone", true}} {
		t.Run(w.name, func(t *testing.T) {
			dir := t.TempDir()
			ctx := newTab(t, dir)
			if w.phone {
				do(t, ctx, "phone width", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)))
			}
			flow(t, ctx, w.phone, dir)
		})
	}
}

// fitsWidth fails when the page is wider than the screen (what must be
// read or pressed would sit off the screen; wide tables scroll in their
// own box).
func fitsWidth(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	over, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
	if err != nil {
		t.Fatal(err)
	}
	if over {
		t.Errorf("%s is wider than the screen", what)
	}
}

// submitted clicks a submit button and waits for the next page's message.
func submitted(ctx context.Context, button, wait string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Evaluate[chromedp.Void](`document.querySelectorAll(".flash, .alert").forEach(e => e.remove())`),
		chromedp.Click(chromedp.CSS(button)),
		chromedp.WaitVisible(chromedp.CSS(wait)))
}

func shotName(name string, phone bool) string {
	if phone {
		return name + "-phone.png"
	}
	return name + ".png"
}

func TestBrowserEditPlan(t *testing.T) {
	atWidths(t, func(t *testing.T, ctx context.Context, phone bool, dir string) {
		f := newDemoFixture(t)
		base := f.admin.base
		do(t, ctx, "log in", loginAs(base, "vanphong"),
			chromedp.Navigate(base+"/plans"), chromedp.Click(chromedp.ID("new-plan")), chromedp.WaitVisible(chromedp.ID("plan-form")))
		fitsWidth(t, ctx, "the plan form")
		// A clerk types the body on several lines and pastes a title with an
		// emoji: refused beside the title, the body kept.
		do(t, ctx, "fill in",
			chromedp.SetValue(chromedp.ID("date"), "05/03/2024"),
			chromedp.SetValue(chromedp.CSS(`[name="agency.name"]`), "Ủy ban nhân dân huyện Tam Đường"),
			chromedp.SetValue(chromedp.CSS(`[name="agency.symbol"]`), "UBND"),
			chromedp.SetValue(chromedp.CSS(`[name="agency.place"]`), "Tam Đường"),
			chromedp.SetValue(chromedp.ID("title"), "Kế hoạch chuyển đổi số năm 2024 🚀"),
			chromedp.SendKeys(chromedp.ID("body"), "## I. MỤC ĐÍCH\n\nĐoạn một.\n- Ý một;\n- Ý hai."),
			chromedp.SendKeys(chromedp.ID("recipients"), "UBND tỉnh;\nLưu hồ sơ"),
			chromedp.SendKeys(chromedp.CSS(`[name="signature.authority"]`), "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"),
			chromedp.SetValue(chromedp.CSS(`[name="signature.signer"]`), "Nguyễn Văn An"),
			submitted(ctx, `#plan-form button[type=submit]:not([formaction])`, ".alert"))
		if msg := text(t, ctx, "#title-error"); !strings.Contains(msg, "🚀") || !strings.Contains(msg, "phông chữ") {
			t.Errorf("the title's message: %q", msg)
		}
		body, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("body")))
		if err != nil || !strings.Contains(body, "- Ý hai.") {
			t.Errorf("the body typed was lost: %q %v", body, err)
		}
		screenshot(t, ctx, shotName("edit-plan-refused", phone))
		do(t, ctx, "save",
			chromedp.SetValue(chromedp.ID("title"), "Kế hoạch chuyển đổi số năm 2024"),
			submitted(ctx, `#plan-form button[type=submit]:not([formaction])`, ".flash"))
		if msg := text(t, ctx, ".flash"); !strings.Contains(msg, "Đã tạo kế hoạch") {
			t.Fatalf("after creating: %q", msg)
		}
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		var id int64
		fmt.Sscanf(loc[strings.Index(loc, "/plans/"):], "/plans/%d/tasks", &id)
		var p planJSON
		f.admin.expect(f.admin.do("GET", fmt.Sprintf("/api/v1/plans/%d", id), nil), 200).json(t, &p)
		if p.Document.Body != "## I. MỤC ĐÍCH\n\nĐoạn một.\n- Ý một;\n- Ý hai." || len(p.Document.Recipients) != 2 {
			t.Errorf("stored body %q, recipients %q", p.Document.Body, p.Document.Recipients)
		}

		// Tasks: add two (several lines each), move the second up, delete one.
		for i, content := range []string{"Tuyên truyền chuyển đổi số\n- trên báo, đài;\n- trên mạng xã hội.", "Xây dựng kho dữ liệu dùng chung"} {
			do(t, ctx, "add task",
				chromedp.Click(chromedp.CSS(`a[href$="/tasks/new"]`)), chromedp.WaitVisible(chromedp.ID("task-form")),
				chromedp.SendKeys(chromedp.ID("content"), content),
				chromedp.SendKeys(chromedp.ID("lead"), "Văn phòng HĐND và UBND huyện\nPhòng Văn hóa và Thông tin"),
				chromedp.SetValue(chromedp.ID("deadline"), "Quý II năm 2024"))
			if i == 0 {
				fitsWidth(t, ctx, "the task form")
				screenshot(t, ctx, shotName("edit-task", phone))
			}
			do(t, ctx, "save task", submitted(ctx, `#task-form button[type=submit]`, ".flash"))
		}
		first := func() string { return text(t, ctx, "#appendix-0 li:first-child .task-content") }
		if got := first(); !strings.HasPrefix(got, "Tuyên truyền chuyển đổi số") || !strings.Contains(got, "trên mạng xã hội") {
			t.Errorf("first task: %q", got)
		}
		fitsWidth(t, ctx, "the task list")
		screenshot(t, ctx, shotName("edit-tasks", phone))
		do(t, ctx, "move up", submitted(ctx, `#appendix-0 li:nth-child(2) button[aria-label^="Chuyển nhiệm vụ 2 lên"]`, ".flash"))
		if got := first(); got != "Xây dựng kho dữ liệu dùng chung" {
			t.Errorf("after moving up, first task: %q", got)
		}
		do(t, ctx, "delete", submitted(ctx, `#appendix-0 li:first-child button[aria-label^="Xóa"]`, ".flash"))
		if msg := text(t, ctx, ".flash"); !strings.Contains(msg, "Đã xóa nhiệm vụ 1") {
			t.Errorf("after deleting: %q", msg)
		}
		if n := f.taskCountOf(t, id); n != 1 {
			t.Errorf("%d tasks stored, want 1", n)
		}
	})
}

func (f *peopleFixture) taskCountOf(t *testing.T, plan int64) int {
	var got struct{ Items []taskJSON }
	f.admin.expect(f.admin.do("GET", fmt.Sprintf("/api/v1/plans/%d/tasks", plan), nil), 200).json(t, &got)
	return len(got.Items)
}

func TestBrowserEditImport(t *testing.T) {
	atWidths(t, func(t *testing.T, ctx context.Context, phone bool, dir string) {
		f := newDemoFixture(t)
		base := f.admin.base
		n := f.taskCountOf(t, f.plan.ID)
		bad := filepath.Join(dir, "nhiem-vu.xlsx")
		good := filepath.Join(dir, "phu-luc.xlsx")
		if err := os.WriteFile(bad, taskWorkbook(t), 0o644); err != nil {
			t.Fatal(err)
		}
		x := f.admin.expect(f.admin.do("GET", fmt.Sprintf("/api/v1/plans/%d/appendix.xlsx", f.plan.ID), nil), 200).body
		if err := os.WriteFile(good, x, 0o644); err != nil {
			t.Fatal(err)
		}
		do(t, ctx, "import page", loginAs(base, "vanphong"),
			chromedp.Navigate(fmt.Sprintf("%s/plans/%d", base, f.plan.ID)),
			chromedp.Click(chromedp.CSS(`#edit-links a[href$="/import"]`)), chromedp.WaitVisible(chromedp.ID("import-form")),
			chromedp.SetUploadFiles(chromedp.ID("file"), []string{bad}),
			submitted(ctx, `#import-form button[type=submit]`, "#import-result"))
		if refused := text(t, ctx, "#refused tbody"); !strings.Contains(refused, "4") || !strings.Contains(refused, "Cơ quan chủ trì") {
			t.Errorf("refused rows: %q", refused)
		}
		if read := text(t, ctx, "#read tbody"); !strings.Contains(read, "Xây dựng kho dữ liệu dùng chung") {
			t.Errorf("rows read: %q", read)
		}
		if ok, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.getElementById("import-confirm")`)); ok {
			t.Error("a file with a refused row can be confirmed")
		}
		fitsWidth(t, ctx, "the import preview")
		screenshot(t, ctx, shotName("edit-import-refused", phone))
		do(t, ctx, "good file",
			chromedp.SetUploadFiles(chromedp.ID("file"), []string{good}),
			submitted(ctx, `#import-form button[type=submit]`, "#import-confirm"))
		if got := text(t, ctx, "#import-result p"); !strings.Contains(got, fmt.Sprintf("đọc được %d dòng", n)) {
			t.Errorf("dry run: %q", got)
		}
		if got := f.taskCountOf(t, f.plan.ID); got != n {
			t.Fatalf("the dry run stored tasks: %d", got)
		}
		screenshot(t, ctx, shotName("edit-import", phone))
		do(t, ctx, "confirm", submitted(ctx, `#import-confirm button[type=submit]`, ".flash"))
		if msg := text(t, ctx, ".flash"); !strings.Contains(msg, fmt.Sprintf("Đã nhập %d nhiệm vụ", n)) {
			t.Errorf("after confirming: %q", msg)
		}
		if got := f.taskCountOf(t, f.plan.ID); got != 2*n {
			t.Errorf("%d tasks after the import, want %d", got, 2*n)
		}
	})
}

func TestBrowserEditAgencies(t *testing.T) {
	atWidths(t, func(t *testing.T, ctx context.Context, phone bool, dir string) {
		f := newDemoFixture(t)
		base := f.admin.base
		do(t, ctx, "new agency", loginAs(base, "vanphong"),
			chromedp.Click(chromedp.CSS(`header nav a[href="/agencies"]`)), chromedp.WaitVisible(chromedp.ID("agencies")),
			chromedp.Click(chromedp.CSS(`a[href="/agencies/new"]`)), chromedp.WaitVisible(chromedp.ID("agency-form")),
			chromedp.SendKeys(chromedp.ID("name"), "Trung tâm Chuyển đổi số tỉnh"),
			chromedp.SendKeys(chromedp.ID("aliases"), "TT Chuyển đổi số\nTrung tâm CĐS tỉnh"),
			chromedp.SetValue(chromedp.ID("symbol"), "TT CĐS"),
			submitted(ctx, `#agency-form button[type=submit]`, ".alert"))
		if msg := text(t, ctx, "#symbol-error"); !strings.Contains(msg, "ký hiệu chỉ gồm") && !strings.Contains(msg, "Ký hiệu chỉ gồm") {
			t.Errorf("symbol with a space: %q", msg)
		}
		if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.ID("aliases"))); !strings.Contains(v, "Trung tâm CĐS tỉnh") {
			t.Errorf("the aliases typed were lost: %q", v)
		}
		fitsWidth(t, ctx, "the agency form")
		do(t, ctx, "save", chromedp.SetValue(chromedp.ID("symbol"), "TTCĐS"), submitted(ctx, `#agency-form button[type=submit]`, ".flash"))
		if row := text(t, ctx, "#agencies"); !strings.Contains(row, "TT Chuyển đổi số; Trung tâm CĐS tỉnh") {
			t.Errorf("the list: %q", row)
		}
		screenshot(t, ctx, shotName("edit-agencies", phone))
		// A duplicate typed by someone else: merged into the agency.
		var dup struct{ ID int64 }
		f.admin.expect(f.admin.do("POST", "/api/v1/agencies", map[string]any{"name": "Trung tâm chuyển đổi số (trùng)"}), 201).json(t, &dup)
		do(t, ctx, "merge",
			chromedp.Navigate(fmt.Sprintf("%s/agencies/%d/edit", base, dup.ID)), chromedp.WaitVisible(chromedp.ID("merge-form")),
			chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById("into"); for (const o of s.options) { if (o.text.startsWith("Trung tâm Chuyển đổi số tỉnh")) { s.value = o.value } } })()`),
			submitted(ctx, `#merge-form button[type=submit]`, ".flash"))
		if msg := text(t, ctx, ".flash"); !strings.Contains(msg, "Đã gộp") {
			t.Errorf("after merging: %q", msg)
		}
		if row := text(t, ctx, "#agencies"); !strings.Contains(row, "Trung tâm chuyển đổi số (trùng)") {
			t.Errorf("the merged name is not an alias: %q", row)
		}
	})
}

func TestBrowserEditPeople(t *testing.T) {
	atWidths(t, func(t *testing.T, ctx context.Context, phone bool, dir string) {
		f := newDemoFixture(t)
		base := f.admin.base
		mustUser(t, f.st, "quantri", auth.RoleAdmin, 0)
		do(t, ctx, "users page", loginAs(base, "quantri"),
			chromedp.Click(chromedp.CSS(`header nav a[href="/users"]`)), chromedp.WaitVisible(chromedp.ID("user-form")),
			chromedp.SendKeys(chromedp.ID("username"), "lan.pt"),
			chromedp.SendKeys(chromedp.ID("display_name"), "Phạm Thị Lan"),
			chromedp.SetValue(chromedp.ID("role"), "auditor"),
			submitted(ctx, `#user-form button[type=submit]`, "#shown-password"))
		pw := text(t, ctx, "#new-password")
		if len(pw) < 10 {
			t.Fatalf("the password shown: %q", pw)
		}
		fitsWidth(t, ctx, "the users page")
		screenshot(t, ctx, shotName("edit-users", phone))
		id, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("#users li")].find(li => li.querySelector(".username").textContent == "lan.pt").id`))
		if err != nil || id == "" {
			t.Fatalf("no row of lan.pt: %v", err)
		}
		do(t, ctx, "disable", submitted(ctx, "#"+id+` form[action$="/disable"] button`, ".flash"))
		if row := text(t, ctx, "#"+id); !strings.Contains(row, "Đã khóa") {
			t.Errorf("after disabling: %q", row)
		}
		if _, err := f.st.Authenticate(t.Context(), "lan.pt", pw); err == nil {
			t.Error("a disabled user logs in")
		}
		// A key: shown once, then revoked.
		do(t, ctx, "keys", chromedp.Navigate(base+"/keys"), chromedp.WaitVisible(chromedp.ID("key-form")),
			chromedp.SendKeys(chromedp.ID("name"), "Cổng thông tin điện tử tỉnh"),
			chromedp.SetValue(chromedp.ID("days"), "90"),
			submitted(ctx, `#key-form button[type=submit]`, "#shown-secret"))
		secret := text(t, ctx, "#new-secret")
		key := f.admin.withKey(secret)
		key.expect(key.do("GET", "/api/v1/me", nil), 200)
		fitsWidth(t, ctx, "the keys page")
		screenshot(t, ctx, shotName("edit-keys", phone))
		do(t, ctx, "reload", chromedp.Navigate(base+"/keys"), chromedp.WaitVisible(chromedp.ID("keys")))
		if body := text(t, ctx, "main"); strings.Contains(body, secret) {
			t.Error("the secret is shown a second time")
		}
		do(t, ctx, "revoke", submitted(ctx, `#keys li:last-child button[type=submit]`, ".flash"))
		key.expect(key.do("GET", "/api/v1/me", nil), 401)

		// The secretariat changes its own password.
		do(t, ctx, "own password", loginAs(base, "vanphong"),
			chromedp.Click(chromedp.CSS(`header nav a[href="/account/password"]`)), chromedp.WaitVisible(chromedp.ID("password-form")),
			chromedp.SendKeys(chromedp.ID("current"), "không phải mật khẩu"),
			chromedp.SendKeys(chromedp.ID("password"), "mật khẩu mới 2024"),
			chromedp.SendKeys(chromedp.ID("again"), "mật khẩu mới 2024"),
			submitted(ctx, `#password-form button[type=submit]`, ".alert"))
		if msg := text(t, ctx, "#current-error"); msg != "Mật khẩu hiện tại không đúng." {
			t.Errorf("wrong current password: %q", msg)
		}
		fitsWidth(t, ctx, "the password form")
		do(t, ctx, "change",
			chromedp.SendKeys(chromedp.ID("current"), testPassword),
			chromedp.SendKeys(chromedp.ID("password"), "mật khẩu mới 2024"),
			chromedp.SendKeys(chromedp.ID("again"), "mật khẩu mới 2024"),
			submitted(ctx, `#password-form button[type=submit]`, ".flash"))
		if msg := text(t, ctx, ".flash"); !strings.Contains(msg, "Đã đổi mật khẩu") {
			t.Errorf("after the change: %q", msg)
		}
		if _, err := f.st.Authenticate(t.Context(), "vanphong", "mật khẩu mới 2024"); err != nil {
			t.Errorf("the new password: %v", err)
		}
	})
}
