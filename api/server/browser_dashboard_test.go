package server

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"baocao/reports/progress"
)

// Browser tests of the period dashboard, "Nhiệm vụ của tôi" and sending a
// submission back (issue 14), for each role, at a laptop's and a phone's
// width, asserting what the person sees.

type width struct {
	name string
	w, h int64
}

var widths = []width{{"laptop", 1280, 900}, {"phone", 390, 844}}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// atWidth sets the tab's viewport.
func atWidth(w width) chromedp.Action[chromedp.Void] {
	if w.w < 640 {
		return chromedp.EmulateViewport(w.w, w.h, chromedp.EmulateScale(2))
	}
	return chromedp.EmulateViewport(w.w, w.h)
}

// fitsScreen reports whether the page needs no sideways scrolling.
const fitsScreen = `document.documentElement.scrollWidth <= window.innerWidth + 1`

// q1Board is the Lai Châu plan's status board of Quý I 2024, and the
// lead agency of its first task (the demo reporter's).
func q1Board(t *testing.T, f *peopleFixture) (progress.Board, string) {
	t.Helper()
	var board progress.Board
	f.admin.expect(f.admin.do("GET", fmt.Sprintf("/api/v1/plans/%d/status?period=2024-Q1", f.plan.ID), nil), 200).json(t, &board)
	return board, f.plan.Document.Appendices[0].Tasks[0].Lead[0]
}

func TestBrowserDashboard(t *testing.T) {
	f := newDemoFixture(t)
	base := f.admin.base
	board, lead := q1Board(t, f)
	for _, user := range []string{"vanphong", "kiemtra", "coquan"} {
		for _, w := range widths {
			t.Run(user+"/"+w.name, func(t *testing.T) {
				ctx := newTab(t, t.TempDir())
				do(t, ctx, "log in", atWidth(w), loginAs(base, user))
				// The menu leads to the dashboard; by default the period being reported on.
				do(t, ctx, "menu", chromedp.Click(chromedp.CSS(`header nav a[href="/dashboard"]`)), chromedp.WaitVisible(chromedp.CSS("main h1")))
				if h := text(t, ctx, "main h1"); !strings.HasPrefix(h, "Tổng hợp Quý") {
					t.Errorf("default dashboard: %q", h)
				}
				do(t, ctx, "choose Quý I 2024", chromedp.SetValue(chromedp.ID("period"), "2024-Q1"),
					chromedp.Submit(chromedp.ID("period")), chromedp.WaitVisible(chromedp.ID("plans")))
				if h := text(t, ctx, "main h1"); h != "Tổng hợp Quý I năm 2024" {
					t.Errorf("heading %q", h)
				}
				plans := text(t, ctx, "#plans tbody")
				if !strings.Contains(plans, "Lai Châu") && !strings.Contains(plans, "tuyên truyền") {
					t.Errorf("the Lai Châu plan is not listed: %q", plans)
				}
				agencies := text(t, ctx, "#agencies tbody")
				if !strings.Contains(agencies, lead) {
					t.Errorf("%s is not listed: %q", lead, agencies)
				}
				if user == "coquan" && strings.Count(agencies, "Chưa báo cáo")+strings.Count(agencies, "Đã báo cáo") > 2 {
					t.Errorf("a reporter sees other agencies: %q", agencies)
				}
				if user == "vanphong" && w.name == "laptop" {
					screenshot(t, ctx, "web-dashboard.png")
					// Printed: the figures, without the menu, the form and the buttons.
					if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
						t.Fatal(err)
					}
					if !eval[bool](t, ctx, `getComputedStyle(document.querySelector("header.top")).display == "none" &&
						getComputedStyle(document.querySelector("form.noprint")).display == "none" &&
						document.getElementById("plans").offsetWidth > 0 && document.getElementById("agencies").offsetWidth > 0`) {
						t.Error("the printed dashboard shows the menu or the form, or not the tables")
					}
					if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
						t.Fatal(err)
					}
				}
				if w.name == "phone" && user == "vanphong" {
					screenshot(t, ctx, "web-dashboard-phone.png")
				}
				// Each count leads to the tasks behind it: the due tasks of the plan.
				row := fmt.Sprintf(`#plans tbody tr:has(a[href="/plans/%d?period=2024-Q1"])`, f.plan.ID)
				n, err := strconv.Atoi(text(t, ctx, row+" td.c-due a"))
				if err != nil {
					t.Fatal(err)
				}
				if user != "coquan" && n != board.Due {
					t.Errorf("due: %d, the status board says %d", n, board.Due)
				}
				do(t, ctx, "tasks behind the count", chromedp.Click(chromedp.CSS(row+" td.c-due a")), chromedp.WaitVisible(chromedp.ID("items")))
				if got := eval[int](t, ctx, `document.querySelectorAll("#items tbody tr").length`); got != n {
					t.Errorf("%d tasks behind the count %d", got, n)
				}
				if h := text(t, ctx, "main h1"); h != "Đến hạn — Quý I năm 2024" {
					t.Errorf("tasks page heading %q", h)
				}
				if w.name == "phone" && !eval[bool](t, ctx, fitsScreen) {
					t.Error("the task list needs sideways scrolling on a phone")
				}
				// Sorting: most not reported first, by the column header (on a
				// phone, whose table stacks, by the line above it).
				sortBy := `#agencies thead a[href*="sort=not_reported"]`
				if w.name == "phone" {
					sortBy = `p.phone-only a[href*="sort=not_reported"]`
				}
				do(t, ctx, "back", chromedp.Navigate(base+"/dashboard?period=2024-Q1"), chromedp.WaitVisible(chromedp.ID("plans")),
					chromedp.Click(chromedp.CSS(sortBy)), chromedp.WaitVisible(chromedp.ID("agencies")))
				if w.name == "phone" && !eval[bool](t, ctx, fitsScreen) {
					t.Error("the dashboard needs sideways scrolling on a phone")
				}
				nums := eval[[]int](t, ctx, `[...document.querySelectorAll("#agencies tbody td.c-not_reported")].map(td => parseInt(td.innerText))`)
				for i := 1; i < len(nums); i++ {
					if nums[i] > nums[i-1] {
						t.Errorf("not sorted by not reported, most first: %v", nums)
						break
					}
				}
			})
		}
	}
}

func TestBrowserMyTasks(t *testing.T) {
	f := newDemoFixture(t)
	base := f.admin.base
	board, lead := q1Board(t, f)
	due := 0
	for _, a := range board.Agencies {
		if a.Agency == lead {
			due = a.Due
		}
	}
	for _, w := range widths {
		t.Run(w.name, func(t *testing.T) {
			ctx := newTab(t, t.TempDir())
			do(t, ctx, "log in", atWidth(w), loginAs(base, "coquan"),
				chromedp.Click(chromedp.CSS(`header nav a[href="/my-tasks"]`)), chromedp.WaitVisible(chromedp.ID("period")),
				chromedp.SetValue(chromedp.ID("period"), "2024-Q1"), chromedp.Submit(chromedp.ID("period")),
				chromedp.WaitVisible(chromedp.ID("mytasks")))
			if h := text(t, ctx, "main h1"); h != "Nhiệm vụ của tôi — Quý I năm 2024" {
				t.Errorf("heading %q", h)
			}
			if got := eval[int](t, ctx, `document.querySelectorAll("#mytasks article").length`); got != due || due == 0 {
				t.Errorf("%d tasks listed, the agency leads %d due", got, due)
			}
			// Nothing the reporter needs is hidden or cut, on a phone too.
			all := eval[bool](t, ctx, `[...document.querySelectorAll("#mytasks article")].every(a =>
				a.querySelector(".btn").offsetWidth > 0 && a.querySelector("dd.left").offsetWidth > 0 && a.querySelector("p.lines").offsetWidth > 0)`)
			if !all {
				t.Error("a task's text, days left or button is hidden")
			}
			body := text(t, ctx, "#mytasks")
			if strings.Contains(body, "…") || !strings.Contains(body, "Còn lại") || !strings.Contains(body, "Báo cáo gần nhất") {
				t.Errorf("my tasks: %q", body)
			}
			if !eval[bool](t, ctx, fitsScreen) {
				t.Error("my tasks need sideways scrolling")
			}
			screenshot(t, ctx, map[string]string{"laptop": "web-mytasks.png", "phone": "web-mytasks-phone.png"}[w.name])
			// Report from the list: the form shows the whole task and its due dates.
			do(t, ctx, "report", chromedp.Click(chromedp.CSS("#mytasks article .btn")), chromedp.WaitVisible(chromedp.ID("result")))
			task := text(t, ctx, "#task")
			if strings.Contains(task, "…") || !strings.Contains(task, "Hạn gửi báo cáo Quý I năm 2024: 15/03/2024") {
				t.Errorf("the form's task: %q", task)
			}
			// Several lines typed, a date typed dd/mm/yyyy.
			lines := "Đã đăng 24 tin, bài.\nTổ chức 02 hội nghị.\nPhát 500 tờ rơi."
			do(t, ctx, "type",
				chromedp.Evaluate[chromedp.Void](`document.getElementById("status").value = "done";
					document.getElementById("completed_on").value = ""; document.getElementById("result").value = ""`),
				chromedp.SendKeys(chromedp.ID("completed_on"), "10/03/2024"),
				chromedp.SendKeys(chromedp.ID("result"), lines),
				chromedp.Click(chromedp.CSS(`form.card button[type="submit"]`)),
				chromedp.WaitVisible(chromedp.CSS(".flash")))
			if flash := text(t, ctx, ".flash"); !strings.Contains(flash, "Đã gửi báo cáo lần") {
				t.Errorf("after sending: %q", flash)
			}
			do(t, ctx, "the form again", chromedp.Navigate(base+"/my-tasks?period=2024-Q1"),
				chromedp.WaitVisible(chromedp.ID("mytasks")), chromedp.Click(chromedp.CSS("#mytasks article .btn")),
				chromedp.WaitVisible(chromedp.ID("history")))
			if got := eval[string](t, ctx, `document.querySelector("#history tbody td.lines").textContent`); !strings.HasPrefix(got, lines) {
				t.Errorf("the history shows %q, typed %q", got, lines)
			}
			if got := eval[string](t, ctx, `document.getElementById("completed_on").value`); got != "10/03/2024" {
				t.Errorf("the date shows as %q", got)
			}
			if !eval[bool](t, ctx, fitsScreen) && w.name == "phone" {
				t.Error("the progress form needs sideways scrolling on a phone")
			}
			// The plan page shows every task's lead agency and deadline, on a phone too.
			do(t, ctx, "plan page", chromedp.Navigate(fmt.Sprintf("%s/plans/%d?period=2024-Q1", base, f.plan.ID)), chromedp.WaitVisible(chromedp.ID("tasks")))
			if !eval[bool](t, ctx, `[...document.querySelectorAll("#tasks tbody tr")].every(tr =>
				tr.querySelector('td[data-label="Chủ trì"]').offsetWidth > 0 && tr.querySelector('td[data-label="Thời hạn"]').offsetWidth > 0)`) {
				t.Error("the plan page hides a lead agency or a deadline")
			}
			if !eval[bool](t, ctx, fitsScreen) {
				t.Error("the plan page needs sideways scrolling")
			}
		})
	}
}

func TestBrowserSendBack(t *testing.T) {
	f := newDemoFixture(t)
	base := f.admin.base
	tasks := f.plan.Document.Appendices[0].Tasks
	form := fmt.Sprintf("%s/plans/%d/tasks/%d/progress?period=2024-Q1", base, f.plan.ID, tasks[0].ID)
	for i, w := range widths {
		t.Run(w.name, func(t *testing.T) {
			ctx := newTab(t, t.TempDir())
			comment := fmt.Sprintf("Đề nghị bổ sung số liệu (%d):\nsố tin, bài và ngày đăng.", i+1)
			// The secretariat sends the latest report back with a comment.
			do(t, ctx, "secretariat", atWidth(w), loginAs(base, "vanphong"), chromedp.Navigate(form),
				chromedp.WaitVisible(chromedp.CSS("tr.sendback textarea")),
				chromedp.SendKeys(chromedp.CSS("tr.sendback textarea"), comment),
				chromedp.Click(chromedp.CSS("tr.sendback button")),
				chromedp.WaitVisible(chromedp.CSS(".flash")))
			if flash := text(t, ctx, ".flash"); !strings.Contains(flash, "Đã gửi trả báo cáo lần") {
				t.Errorf("after sending back: %q", flash)
			}
			if got := eval[string](t, ctx, `document.querySelector("tr.returned .lines").innerText`); got != comment {
				t.Errorf("the history shows the request %q, typed %q", got, comment)
			}
			if w.name == "laptop" {
				screenshot(t, ctx, "web-sendback.png")
			}
			// The reporter sees it on its tasks and on the form, and answers.
			do(t, ctx, "reporter", loginAs(base, "coquan"), chromedp.Navigate(base+"/my-tasks?period=2024-Q1"),
				chromedp.WaitVisible(chromedp.CSS("#mytasks article.is-returned")))
			if got := text(t, ctx, "#mytasks article.is-returned .returned"); !strings.Contains(got, "Cần bổ sung:") || !strings.Contains(got, "số tin, bài và ngày đăng.") {
				t.Errorf("my tasks show %q", got)
			}
			do(t, ctx, "answer", chromedp.Click(chromedp.CSS("#mytasks article.is-returned .btn")), chromedp.WaitVisible(chromedp.ID("returned")),
				chromedp.SendKeys(chromedp.ID("result"), "\nBổ sung: 24 tin, bài đăng ngày 10/3/2024."),
				chromedp.Click(chromedp.CSS(`form.card button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(".flash")),
				chromedp.Navigate(base+"/my-tasks?period=2024-Q1"), chromedp.WaitVisible(chromedp.ID("mytasks")))
			if n := eval[int](t, ctx, `document.querySelectorAll("#mytasks article.is-returned").length`); n != 0 {
				t.Errorf("%d requests still open after answering", n)
			}
			// The exchange in the history, as the auditor reads it; and the trail.
			do(t, ctx, "auditor", loginAs(base, "kiemtra"), chromedp.Navigate(form), chromedp.WaitVisible(chromedp.ID("history")))
			hist := text(t, ctx, "#history")
			if !strings.Contains(hist, "Yêu cầu bổ sung") || !strings.Contains(hist, "Bổ sung: 24 tin, bài đăng ngày 10/3/2024.") {
				t.Errorf("the history: %q", hist)
			}
			if eval[int](t, ctx, `document.querySelectorAll("tr.sendback").length`) != 0 {
				t.Error("the auditor is offered to send back")
			}
			do(t, ctx, "trail", chromedp.Navigate(base+"/audit?action=bo+sung"), chromedp.WaitVisible(chromedp.ID("audit")))
			if trail := text(t, ctx, "#audit tbody"); !strings.Contains(trail, "Yêu cầu bổ sung báo cáo tiến độ") || !strings.Contains(trail, "vanphong") {
				t.Errorf("audit trail: %q", trail)
			}
		})
	}
}
