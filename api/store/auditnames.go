package store

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// actionNames are the audit trail's actions as a clerk reads them.
var actionNames = map[string]string{
	"login":                    "Đăng nhập",
	"login.failed":             "Đăng nhập sai",
	"login.limited":            "Đăng nhập bị chặn tạm thời (sai quá nhiều lần)",
	"logout":                   "Đăng xuất",
	"denied":                   "Bị từ chối",
	"agency.create":            "Thêm cơ quan",
	"agency.update":            "Sửa cơ quan",
	"agency.delete":            "Xoá cơ quan",
	"agency.merge":             "Gộp cơ quan",
	"plan.create":              "Thêm kế hoạch",
	"plan.update":              "Sửa kế hoạch",
	"plan.delete":              "Xoá kế hoạch",
	"plan.issue":               "Ban hành kế hoạch (lưu tệp PDF/A)",
	"plan.reopen":              "Mở lại kế hoạch đã ban hành để sửa",
	"plan.sign.download":       "Tải kế hoạch để ký số",
	"plan.sign.person":         "Nộp kế hoạch đã ký số của người có thẩm quyền",
	"plan.sign.organisation":   "Ký số của cơ quan, tổ chức trên kế hoạch (và phụ lục tệp riêng)",
	"task.create":              "Thêm nhiệm vụ",
	"task.update":              "Sửa nhiệm vụ",
	"task.delete":              "Xoá nhiệm vụ",
	"task.reorder":             "Sắp xếp lại nhiệm vụ",
	"task.import":              "Nhập nhiệm vụ từ Excel",
	"progress.submit":          "Báo cáo tiến độ",
	"report.save":              "Lưu dự thảo báo cáo",
	"report.issue":             "Ban hành báo cáo",
	"report.reopen":            "Mở lại kỳ báo cáo",
	"report.replace":           "Lập báo cáo thay thế",
	"letter.create":            "Lập công văn đôn đốc",
	"letter.save":              "Lưu dự thảo công văn đôn đốc",
	"letter.issue":             "Ban hành công văn đôn đốc",
	"letter.sign.download":     "Tải công văn đôn đốc để ký số",
	"letter.sign.person":       "Nộp công văn đôn đốc đã ký số của người có thẩm quyền",
	"letter.sign.organisation": "Ký số của cơ quan, tổ chức trên công văn đôn đốc",
	"export.progress":          "Xuất số liệu tiến độ",
	"export.audit":             "Xuất nhật ký",
	"user.create":              "Thêm người dùng",
	"user.passwd":              "Đổi mật khẩu",
	"user.disable":             "Khoá người dùng",
	"user.enable":              "Mở khoá người dùng",
	"key.create":               "Tạo khoá ứng dụng",
	"key.revoke":               "Thu hồi khoá ứng dụng",
	"report.sign.download":     "Tải báo cáo để ký số",
	"report.sign.person":       "Nộp báo cáo đã ký số của người có thẩm quyền",
	"report.sign.organisation": "Ký số của cơ quan, tổ chức",
	"progress.return":          "Yêu cầu bổ sung báo cáo tiến độ",
}

// ActionName is an action's Vietnamese name: "Ban hành báo cáo"; a
// replayed request ("progress.submit.replayed") says so; an unknown code
// is shown as it is.
func ActionName(code string) string {
	if base, ok := strings.CutSuffix(code, ".replayed"); ok {
		if n, ok := actionNames[base]; ok {
			return n + " (gửi lại, không ghi thêm)"
		}
	}
	if n, ok := actionNames[code]; ok {
		return n
	}
	return code
}

// actionsMatching lists the codes whose code or Vietnamese name holds q,
// without regard to case or diacritics: "ban hanh" finds report.issue.
func actionsMatching(q string) []string {
	k := Fold(norm.NFC.String(q))
	var out []string
	for code, name := range actionNames {
		if strings.Contains(Fold(name), k) || strings.Contains(code, strings.ToLower(q)) {
			out = append(out, code, code+".replayed")
		}
	}
	return out
}
