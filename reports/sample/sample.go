// Package sample generates realistic plans of any size for tests and
// benchmarks: Vietnamese task texts with lists, italics and agencies drawn
// from the seed plans, in a fixed pseudo-random order.
package sample

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"baocao/reports/doc"
)

var (
	actions = []string{"Tuyên truyền", "Phổ biến", "Cập nhật thông tin về", "Tổ chức hội nghị quán triệt", "Đăng tải tin, bài về", "Hướng dẫn thực hiện", "Theo dõi, đôn đốc việc thực hiện", "Báo cáo kết quả"}
	topics  = []string{"cải cách thủ tục hành chính", "dịch vụ công trực tuyến toàn trình và thanh toán trực tuyến", "cơ chế một cửa, một cửa liên thông tại Trung tâm phục vụ hành chính công tỉnh", "Chỉ số cải cách hành chính (PAR INDEX) và Chỉ số hài lòng (SIPAS)", "chuyển đổi số, chính quyền số", "văn hóa công sở và đạo đức công vụ", "cải cách chế độ công vụ, tinh giản biên chế", "cải cách tài chính công"}
	places  = []string{"trên Cổng thông tin điện tử tỉnh", "trên Trang Cải cách hành chính tỉnh", "trên sóng Đài Phát thanh - Truyền hình tỉnh", "tại các cuộc họp định kỳ của cơ quan, đơn vị", "qua hệ thống loa truyền thanh cơ sở ở thôn, bản"}
	leads   = []string{"Văn phòng UBND tỉnh", "Sở Nội vụ", "Sở Thông tin và Truyền thông", "Sở Kế hoạch và Đầu tư", "Đài Phát thanh và Truyền hình tỉnh", "Báo Lai Châu", "Sở Tư pháp", "Sở Tài chính"}
	coops   = []string{"Các Sở, ban, ngành tỉnh", "UBND các huyện, thành phố", "Các cơ quan thông tin, truyền thông", "Bưu điện tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"}
	outputs = []string{"Tin, bài đăng trên Cổng thông tin điện tử tỉnh", "Văn bản hướng dẫn", "Báo cáo", "Hội nghị, tọa đàm (02 lần vào Quý II và Quý IV)", "Phóng sự, chuyên mục *Cải cách hành chính*"}
	times   = []string{"Thường xuyên", "Quý I", "Quý II", "Tháng 4/2024", "Quý I, 6 tháng, Quý III, năm", "Trước ngày 16 tháng 3, 6, 9, 12 năm 2024", "30/6/2024"}
)

// Plan returns a draft plan of UBND tỉnh Lai Châu with one appendix of n
// tasks. The same n gives the same plan.
func Plan(n int) *doc.Document {
	rng := rand.New(rand.NewPCG(uint64(n), 2024))
	pick := func(v []string) string { return v[rng.IntN(len(v))] }
	d := &doc.Document{
		Kind:   "KH",
		Date:   doc.Date{Year: 2024, Month: 1, Day: 5},
		Number: 15,
		Agency: doc.Agency{Name: "Ủy ban nhân dân tỉnh Lai Châu", ShortName: "UBND tỉnh Lai Châu",
			Header: []string{"ỦY BAN NHÂN DÂN", "TỈNH LAI CHÂU"}, Symbol: "UBND", Place: "Lai Châu"},
		Title:      "Tuyên truyền công tác cải cách hành chính nhà nước tỉnh Lai Châu năm 2024",
		Body:       "## I. MỤC ĐÍCH, YÊU CẦU\n\nThông tin, tuyên truyền kịp thời các chủ trương, chính sách về công tác cải cách hành chính (*Có phụ lục kèm theo*)./.",
		Recipients: []string{"Bộ Nội vụ", "Các sở, ban, ngành tỉnh"},
		Archive:    "VT, KSTT",
		Signature:  &doc.Signature{Authority: []string{"TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"}, Signer: "Tổng Thanh Hải"},
	}
	a := doc.Appendix{Title: fmt.Sprintf("Các nhiệm vụ triển khai thực hiện Kế hoạch (%d nhiệm vụ)", n)}
	for i := 0; i < n; i++ {
		var content string
		switch rng.IntN(3) {
		case 0:
			content = fmt.Sprintf("%s %s %s.", pick(actions), pick(topics), pick(places))
		case 1:
			var items []string
			for k := 0; k < 2+rng.IntN(3); k++ {
				items = append(items, fmt.Sprintf("- %s %s %s;", pick(actions), pick(topics), pick(places)))
			}
			content = strings.Join(items, "\n")
		default:
			content = fmt.Sprintf("%s %s.\n\n*%s %s.*", pick(actions), pick(topics), pick(actions), pick(places))
		}
		t := doc.Task{Content: content, Lead: []string{pick(leads)}, Output: pick(outputs), Deadline: doc.Deadline{Text: pick(times)}}
		for k := 0; k < rng.IntN(3); k++ {
			t.Cooperating = append(t.Cooperating, coops[(i+k)%len(coops)])
		}
		a.Tasks = append(a.Tasks, t)
	}
	d.Appendices = []doc.Appendix{a}
	return d
}
