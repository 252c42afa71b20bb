package server

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"baocao/domain"
	"baocao/reports/doc"
	textrule "baocao/reports/text"
)

// What the editing pages (pages_edit_*.go) share: the Vietnamese words
// of a refusal beside its field, lines of a textarea, dates written
// dd/mm/yyyy.

// formErrs are a form's messages by field name.
type formErrs map[string]string

// taskPathRe finds the task a document path is inside of
// ("appendices[0].tasks[3].").
var taskPathRe = regexp.MustCompile(`^appendices\[\d+\]\.tasks\[\d+\]\.`)

// indexRe finds the list indexes of a field's path ("recipients[2]").
var indexRe = regexp.MustCompile(`\[\d+\]`)

// problemVI words a field's problem in Vietnamese: the text rule's own
// words, the Vietnamese half of a "vi / en" message, or a Vietnamese
// sentence with the English problem after it.
func problemVI(fe doc.FieldError) string {
	if r, ok := runeOf(fe); ok {
		return textrule.ProblemVI(r)
	}
	p := fe.Problem
	switch {
	case strings.Contains(p, " / "):
		return vietnamesePart(p)
	case strings.Contains(p, "required for a reporter") || strings.Contains(p, "required for the reporter"):
		return "Cán bộ báo cáo cần chọn cơ quan của mình."
	case strings.Contains(p, "only for a reporter"):
		return "Chỉ chọn cơ quan cho cán bộ báo cáo."
	case strings.HasPrefix(p, "is required: the id of the agency"):
		return "Hãy chọn cơ quan để gộp vào."
	case strings.Contains(p, "is the agency merged itself"):
		return "Không gộp một cơ quan vào chính nó."
	case strings.Contains(p, "descendant"):
		return "Không gộp một cơ quan vào cơ quan trực thuộc nó."
	case strings.HasPrefix(p, "is required") || strings.HasPrefix(p, "needs at least one"):
		return "Bắt buộc nhập."
	case strings.HasPrefix(p, "is longer than") || strings.HasPrefix(p, "is too long"):
		return "Quá dài (" + p + ")."
	case strings.HasPrefix(p, "has more than"):
		return "Quá nhiều dòng (" + p + ")."
	case strings.HasPrefix(p, "must have at least"):
		return "Quá ngắn: cần ít nhất 10 ký tự."
	case strings.HasPrefix(p, "must be 1 to 64 of"):
		return "Chỉ gồm chữ thường không dấu a-z, chữ số và . _ - (tối đa 64 ký tự)."
	case strings.HasPrefix(p, "must be one of") || strings.HasPrefix(p, "must be render"):
		return "Hãy chọn một vai trò trong danh sách."
	case strings.Contains(p, "is not your current password"):
		return "Mật khẩu hiện tại không đúng."
	case strings.Contains(p, "differs from the new password"):
		return "Hai lần nhập mật khẩu mới không giống nhau."
	case strings.Contains(p, "is the current password"):
		return "Mật khẩu mới phải khác mật khẩu hiện tại."
	case strings.Contains(p, "is your own account"):
		return "Đây là tài khoản của chính bạn; một quản trị viên khác mới khóa được."
	case strings.Contains(p, "must be between 1 and 999999"):
		return "Số văn bản từ 1 đến 999999, hoặc để trống khi là dự thảo."
	case strings.Contains(p, "must be a day from 1 to 28"):
		return "Ngày từ 1 đến 28, hoặc để trống (ngày 15)."
	case strings.HasPrefix(fe.Field, "date") || strings.HasSuffix(fe.Field, ".date"):
		return "Ngày không hợp lệ: hãy viết ngày/tháng/năm, vd. 05/01/2024 (dự thảo: tháng/năm hoặc năm) (" + p + ")."
	}
	return "Không hợp lệ / invalid: " + p + "."
}

// formFieldOf is the form field a document path stands for: list items
// stand for their textarea ("recipients[2]" → "recipients").
func formFieldOf(path string) string {
	path = taskPathRe.ReplaceAllString(path, "")
	if i := strings.Index(path, "["); i > 0 && !strings.Contains(path[i:], ".") {
		return path[:i]
	}
	return indexRe.ReplaceAllString(path, "")
}

// refusal words err for a form: messages beside the fields the form has,
// and an alert for the rest. ok is false when err is not the user's to
// fix (a fault, a refusal of the role), to be answered as it is.
func refusal(err error, fields ...string) (errs formErrs, alert string, ok bool) {
	has := map[string]bool{}
	for _, f := range fields {
		has[f] = true
	}
	errs = formErrs{}
	var ce *domain.ConflictError
	switch {
	case errors.Is(err, domain.ErrStale):
		return errs, "Dữ liệu vừa được người khác sửa trong lúc bạn nhập, nên chưa lưu. Những gì bạn nhập vẫn ở dưới; " +
			"hãy mở trang trong thẻ mới để xem bản mới, rồi nhập lại thay đổi của bạn.", true
	case errors.As(err, &ce) && has[formFieldOf(ce.Field)]:
		errs[formFieldOf(ce.Field)] = "Tên này đã được dùng cho cơ quan khác (hoặc là tên gọi khác của cơ quan khác) cùng cấp."
		return errs, "Chưa lưu: hãy sửa các ô được đánh dấu.", true
	}
	p := answerOf(err)
	if p == nil {
		return errs, "", false
	}
	switch {
	case p.Status == http.StatusUnprocessableEntity:
		var rest []string
		for _, fe := range p.Errors {
			f := formFieldOf(fe.Field)
			if has[f] {
				if _, seen := errs[f]; !seen {
					errs[f] = problemVI(fe)
				}
				continue
			}
			rest = append(rest, fe.Field+": "+problemVI(fe))
		}
		alert = "Chưa lưu: hãy sửa các ô được đánh dấu."
		if len(p.Errors) == 0 {
			rest = append(rest, p.Detail)
		}
		if len(rest) > 0 {
			alert = "Chưa lưu: " + strings.Join(rest, "; ")
		}
		return errs, alert, true
	case p.Type == problemBase+"stale-version":
		return errs, "Dữ liệu vừa được người khác sửa trong lúc bạn nhập, nên chưa lưu. Hãy tải lại trang để xem bản mới rồi làm lại.", true
	case p.Type == problemBase+"has-progress":
		return errs, "Chưa lưu: có nhiệm vụ đã có báo cáo tiến độ. Các báo cáo không bao giờ bị xóa; hãy chọn lưu trữ nhiệm vụ cùng các báo cáo của nó.", true
	case p.Type == problemBase+"plan-issued":
		return errs, "Chưa lưu: kế hoạch đã ban hành, nên nội dung, phụ lục và nhiệm vụ không sửa được. Muốn sửa, hãy mở lại kế hoạch ở trang kế hoạch (ghi lý do), sửa rồi ban hành lại.", true
	case p.Type == problemBase+"in-use":
		return errs, "Chưa xóa: cơ quan đang được kế hoạch, nhiệm vụ hoặc cơ quan khác dùng. Hãy gộp nó vào cơ quan đúng thay vì xóa.", true
	case p.Type == problemBase+"duplicate":
		return errs, "Chưa lưu: tên này đã có (" + p.Detail + ").", true
	case p.Type == problemBase+"invalid-reference":
		return errs, "Chưa lưu: tham chiếu không hợp lệ (" + p.Detail + ").", true
	case p.Status == http.StatusNotFound:
		return errs, "Chưa lưu: dữ liệu này không còn (có thể người khác vừa xóa).", true
	}
	return errs, "", false
}

// refusedStatus is the status a page refusing err answers with: the
// problem's, 422 by default.
func refusedStatus(err error) int {
	if p := answerOf(err); p != nil {
		return p.Status
	}
	return http.StatusUnprocessableEntity
}

// dmyDate writes a document date as the form shows it: 05/01/2024,
// 01/2024 or 2024.
func dmyDate(d doc.Date) string {
	switch {
	case d.Year == 0:
		return ""
	case d.Month == 0:
		return strconv.Itoa(d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%02d/%d", d.Month, d.Year)
	}
	return fmt.Sprintf("%02d/%02d/%d", d.Day, d.Month, d.Year)
}

// parseDMY reads a date typed as dd/mm/yyyy (or mm/yyyy, yyyy; "-" and
// "." separate too) into a document date; "" is no date.
func parseDMY(s string) (doc.Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return doc.Date{}, nil
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(parts) > 3 {
		return doc.Date{}, fmt.Errorf("ngày “%s”: hãy viết ngày/tháng/năm", s)
	}
	if len(parts) == 3 && len(parts[0]) == 4 { // 2024-01-05 as browsers and the API write it
		parts = []string{parts[2], parts[1], parts[0]}
	}
	iso := make([]string, 0, 3)
	for i := len(parts) - 1; i >= 0; i-- {
		p := parts[i]
		if i < len(parts)-1 && len(p) == 1 {
			p = "0" + p
		}
		iso = append(iso, p)
	}
	d, err := doc.ParseDate(strings.Join(iso, "-"))
	if err != nil {
		return d, fmt.Errorf("ngày “%s” không có hoặc viết sai: hãy viết ngày/tháng/năm, vd. 05/01/2024", s)
	}
	return d, nil
}

// formInt reads a whole number of a form; "" is 0.
func formInt(c echo.Context, name string) (int, error) {
	v := strings.TrimSpace(c.FormValue(name))
	if v == "" {
		return 0, nil
	}
	return strconv.Atoi(v)
}

// docField is one field's problem.
func docField(field, problem string) doc.FieldError {
	return doc.FieldError{Field: field, Problem: problem}
}
