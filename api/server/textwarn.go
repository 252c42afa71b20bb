package server

import (
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"baocao/domain"
	"baocao/reports/doc"
	"baocao/reports/docx"
	"baocao/reports/pdf"
	"baocao/reports/report"
	textrule "baocao/reports/text"
)

// Text stored before the door's rule (or a font swapped for another
// family) may hold a character the font cannot draw. Renders never fail
// because of it: the character is drawn as "□" (textrule.Replacement),
// the replacement is logged, the API answer carries an X-Baocao-Warning
// header, and the plan and report pages show a warning naming the field.

// warningHeader is the response header naming replaced characters.
const warningHeader = "X-Baocao-Warning"

// warnReplaced logs the replacements of a render and sets the warning
// header on the answer (to be called from the handler's goroutine).
func (s *Server) warnReplaced(c echo.Context, reps []doc.Replaced) {
	if len(reps) == 0 {
		return
	}
	// One answer may render several parts (a report's board, then its
	// PDF): the header names them all.
	if before, ok := c.Get(replacedKey).([]doc.Replaced); ok {
		reps = append(before, reps...)
	}
	c.Set(replacedKey, reps)
	slog.WarnContext(c.Request().Context(), "characters the font cannot draw were replaced in a render",
		"path", c.Request().URL.Path, "request_id", c.Response().Header().Get(echo.HeaderXRequestID),
		"font", s.cfg.Fonts.Name, "count", len(reps), "replaced", replacedList(reps, 20))
	c.Response().Header().Set(warningHeader, fmt.Sprintf("%d character(s) the font cannot draw replaced with %U: %s",
		len(reps), textrule.Replacement(s.cfg.Fonts), replacedList(reps, 5)))
}

// replacedKey keeps the replacements of a request's renders so far.
const replacedKey = "baocao.replaced"

// replacedList names the characters replaced and the fields that held
// them, each once: "U+1F600 U+4E2D in title; appendices[0].tasks[3].content";
// at most n fields are named.
func replacedList(reps []doc.Replaced, n int) string {
	var chars, fields []string
	seenC, seenF := map[rune]bool{}, map[string]bool{}
	for _, r := range reps {
		if !seenC[r.Rune] && len(chars) < 20 {
			seenC[r.Rune] = true
			chars = append(chars, fmt.Sprintf("%U", r.Rune))
		}
		if !seenF[r.Field] {
			seenF[r.Field] = true
			fields = append(fields, r.Field)
		}
	}
	if len(fields) > n {
		fields = append(fields[:n], fmt.Sprintf("%d more fields", len(fields)-n))
	}
	return strings.Join(chars, " ") + " in " + strings.Join(fields, "; ")
}

// pdfFor is the PDF renderer for a request: what it replaces is logged
// and named in the answer's warning header (see replacedFor).
func (s *Server) pdfFor(c echo.Context) *pdf.Renderer { return s.pdf.OnReplace(s.replacedFor(c)) }

// docxFor is the DOCX renderer for a request, reporting as pdfFor does.
func (s *Server) docxFor(c echo.Context) *docx.Renderer { return s.docx.OnReplace(s.replacedFor(c)) }

// replacedFor collects what a renderer replaces for the answer's warning
// header. The renderer reports from its own goroutine; the header is set
// when the answer is written.
func (s *Server) replacedFor(c echo.Context) func([]doc.Replaced) {
	var mu sync.Mutex
	var reps []doc.Replaced
	c.Response().Before(func() {
		mu.Lock()
		defer mu.Unlock()
		s.warnReplaced(c, reps)
	})
	return func(r []doc.Replaced) {
		mu.Lock()
		defer mu.Unlock()
		reps = append(reps, r...)
	}
}

// wouldReplace lists, without changing anything, the characters a render
// of these texts would replace: the plan's, the narrative's and the
// submissions' (nil when there are none).
func (s *Server) wouldReplace(plan *doc.Document, nar *report.Narrative, subs []domain.Submission) []doc.Replaced {
	var out []doc.Replaced
	look := func(field, v string) {
		if _, gone := textrule.Replace(s.cfg.Fonts, v); len(gone) > 0 && len(out) < 100 {
			for _, r := range gone {
				out = append(out, doc.Replaced{Field: field, Rune: r})
			}
		}
	}
	if plan != nil {
		plan.Texts(func(path func() string, v string) {
			if _, ok := textrule.Drawable(s.cfg.Fonts, v); !ok {
				look(path(), v)
			}
		})
	}
	if nar != nil {
		look("narrative.assessment", nar.Assessment)
		look("narrative.shortcomings", nar.Shortcomings)
		look("narrative.causes", nar.Causes)
		look("narrative.directions", nar.Directions)
		look("narrative.proposals", nar.Proposals)
	}
	for _, sb := range subs {
		for field, v := range map[string]string{"result": sb.Result, "difficulties": sb.Difficulties, "proposals": sb.Proposals} {
			look(fmt.Sprintf("progress %d (%s, %s).%s", sb.ID, sb.Agency, sb.Period, field), v)
		}
	}
	return out
}

// warningVI words replacements for a page: which characters, where, and
// what the documents show instead.
func (s *Server) warningVI(reps []doc.Replaced) string {
	if len(reps) == 0 {
		return ""
	}
	var where []string
	seen := map[string]bool{}
	for _, r := range reps {
		w := fmt.Sprintf("“%s” (%U) ở %s", printable(r.Rune), r.Rune, fieldVI(r.Field))
		if !seen[w] && len(where) < 5 {
			seen[w] = true
			where = append(where, w)
		}
	}
	return fmt.Sprintf("Dữ liệu đã lưu có %d ký tự mà phông chữ %s không có: %s. Văn bản vẫn được tạo, các ký tự này được in thành “%c”; hãy sửa nội dung để văn bản đúng.",
		len(reps), s.cfg.Fonts.Name, strings.Join(where, "; "), textrule.Replacement(s.cfg.Fonts))
}

func printable(r rune) string {
	if r < 0x20 || (r >= 0x7f && r <= 0x9f) {
		return "ký tự điều khiển"
	}
	return string(r)
}

// fieldVI names a field of a plan, a draft or a submission in Vietnamese
// where it can ("nhiệm vụ 4, cột Nội dung").
func fieldVI(field string) string {
	var ap, task int
	var rest string
	if n, _ := fmt.Sscanf(field, "appendices[%d].tasks[%d].%s", &ap, &task, &rest); n == 3 {
		name, _, _ := strings.Cut(rest, "[")
		for _, c := range doc.DefaultColumns() {
			if c.Field == name {
				rest = c.Label
			}
		}
		return fmt.Sprintf("phụ lục %d, nhiệm vụ %d, cột “%s”", ap+1, task+1, rest)
	}
	if i := strings.Index(field, ")."); strings.HasPrefix(field, "progress ") && i > 0 {
		label := map[string]string{"result": "Kết quả", "difficulties": "Khó khăn, vướng mắc", "proposals": "Đề xuất, kiến nghị"}[field[i+2:]]
		return "báo cáo tiến độ " + field[len("progress "):i+1] + ", ô “" + label + "”"
	}
	for _, f := range draftFields("", report.Narrative{}) {
		if field == "narrative."+f.Name {
			return "ô “" + f.Label + "” của dự thảo báo cáo"
		}
	}
	if name, ok := map[string]string{"title": "trích yếu của văn bản", "body": "nội dung văn bản", "legal_bases": "căn cứ",
		"recipients": "nơi nhận", "agency": "cơ quan ban hành", "signature": "chữ ký"}[strings.FieldsFunc(field, func(r rune) bool { return r == '.' || r == '[' })[0]]; ok {
		return name + " (" + field + ")"
	}
	return field
}
