package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"baocao/reports/progress"
	"baocao/reports/vn"
)

// DetailedUpTo is the most tasks due that a report's drafted sections
// account for one by one. Beyond it the body summarises — the results by
// lead agency with their counts by status, the shortcomings, causes,
// proposals and directions counted by agency — and leaves the
// task-by-task account to Phụ lục I, so that the body stays readable, and
// within the body's limit, whatever the plan's size. Every figure is read
// from the one board, as Phụ lục II's are.
const DetailedUpTo = 100

// Most lines a summarised section lists before it adds up the rest.
const (
	summaryAgencies = 40 // agencies in the results and the directions
	summaryNotes    = 20 // distinct difficulties or proposals
	summaryNames    = 10 // agencies named in one sentence
)

// summarised reports whether a board with rows tasks due is summarised
// under the limit upTo (0: DetailedUpTo; negative: always).
func summarised(rows, upTo int) bool {
	if upTo == 0 {
		upTo = DetailedUpTo
	}
	return upTo < 0 || rows > upTo
}

// draftSummary drafts the sections of a report too large to go task by
// task.
func draftSummary(b *progress.Board) Narrative {
	return Narrative{
		Results:      summaryResults(b),
		Shortcomings: summaryShortcomings(b),
		Causes:       summaryCauses(b),
		Directions:   summaryDirections(b),
		Proposals:    summaryProposals(b),
	}
}

// AgencyLine is the sentence about one lead agency in a summarised
// report's results: its agency–task pairs due and how many are in each
// status ("lượt", as Phụ lục II counts them), statuses with none left out.
func AgencyLine(name string, due int, counts map[string]int) string {
	var parts []string
	for _, st := range progress.Statuses {
		if n := counts[st]; n > 0 {
			parts = append(parts, vn.Count(n)+" "+StatusPhrases[st])
		}
	}
	s := fmt.Sprintf("- %s: %s lượt nhiệm vụ đến hạn", escapeMD(name), vn.Count(due))
	if len(parts) > 0 {
		s += ", gồm " + strings.Join(parts, ", ")
	}
	return s + "."
}

// OtherAgencies names the line that adds up the agencies a summarised
// report does not list one by one: "Các cơ quan khác (12 cơ quan)".
func OtherAgencies(n int) string {
	return fmt.Sprintf("Các cơ quan khác (%s cơ quan)", vn.Count(n))
}

// summaryResults is section I.2 by lead agency, in Phụ lục II's order: the
// first summaryAgencies agencies one by one, the others added up.
func summaryResults(b *progress.Board) string {
	if b.Due == 0 {
		return "Trong kỳ không có nhiệm vụ đến hạn."
	}
	lines := []string{fmt.Sprintf("Kỳ báo cáo có %s nhiệm vụ đến hạn, do %s cơ quan chủ trì (%s lượt). "+
		"Kết quả theo cơ quan chủ trì, tính theo lượt (kết quả từng nhiệm vụ tại Phụ lục I):",
		vn.Count(b.Due), vn.Count(len(b.Agencies)), vn.Count(b.Pairs)), ""}
	for i, a := range b.Agencies {
		if i == summaryAgencies && len(b.Agencies) > summaryAgencies+1 {
			rest := map[string]int{}
			due := 0
			for _, o := range b.Agencies[i:] {
				due += o.Due
				for st, n := range o.Counts {
					rest[st] += n
				}
			}
			lines = append(lines, AgencyLine(OtherAgencies(len(b.Agencies)-i), due, rest))
			break
		}
		lines = append(lines, AgencyLine(a.Agency, a.Due, a.Counts))
	}
	return strings.Join(lines, "\n")
}

// byAgency are the agencies with pairs in a status, the most first (then
// in Phụ lục II's order): "Sở A (12 lượt), Sở B (03 lượt) và 4 cơ quan
// khác".
func byAgency(b *progress.Board, status string) string {
	type entry struct {
		name string
		n    int
	}
	var list []entry
	for _, a := range b.Agencies {
		if n := a.Counts[status]; n > 0 {
			list = append(list, entry{a.Agency, n})
		}
	}
	slices.SortStableFunc(list, func(x, y entry) int { return cmp.Compare(y.n, x.n) })
	var names []string
	for i, e := range list {
		if i == summaryNames && len(list) > summaryNames+1 {
			names = append(names, fmt.Sprintf("%s cơ quan khác", vn.Count(len(list)-i)))
			break
		}
		names = append(names, fmt.Sprintf("%s (%s lượt)", escapeMD(e.name), vn.Count(e.n)))
	}
	return joinPlain(names)
}

// joinPlain is "A, B và C" in the order given.
func joinPlain(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " và " + names[len(names)-1]
}

// someAgencies names up to summaryNames agencies in Vietnamese order and
// counts the rest.
func someAgencies(names []string) string {
	if len(names) <= summaryNames+1 {
		return escapeMD(joinAgencies(names))
	}
	sorted := append([]string(nil), names...)
	sortVietnamese(sorted)
	shown := make([]string, 0, summaryNames+1)
	for _, n := range sorted[:summaryNames] {
		shown = append(shown, escapeMD(n))
	}
	shown = append(shown, fmt.Sprintf("%s cơ quan khác", vn.Count(len(names)-summaryNames)))
	return joinPlain(shown)
}

// summaryShortcomings is section II.1 counted: tasks overdue and done
// late with the agencies that carry most of them, the agencies that have
// not reported and those that reported late.
func summaryShortcomings(b *progress.Board) string {
	var lines []string
	if n := b.Counts[progress.Overdue]; n > 0 {
		lines = append(lines, fmt.Sprintf("- Còn %s nhiệm vụ quá hạn chưa hoàn thành (danh sách tại Phụ lục I), chủ trì: %s.",
			vn.Count(n), byAgency(b, progress.Overdue)))
	}
	if n := b.Counts[progress.DoneLate]; n > 0 {
		lines = append(lines, fmt.Sprintf("- %s nhiệm vụ hoàn thành sau thời hạn, chủ trì: %s.", vn.Count(n), byAgency(b, progress.DoneLate)))
	}
	if len(b.NotReported) > 0 {
		lines = append(lines, fmt.Sprintf("- %s cơ quan chưa báo cáo kết quả %s: %s.", vn.Count(len(b.NotReported)),
			b.LatestName, someAgencies(b.NotReported)))
	}
	if late := lateAgencies(b); len(late) > 0 {
		lines = append(lines, fmt.Sprintf("- Một số cơ quan báo cáo chậm so với thời hạn: %s.", someAgencies(late)))
	}
	if len(lines) == 0 {
		return "Các nhiệm vụ đến hạn đều được thực hiện và báo cáo đúng thời hạn."
	}
	return strings.Join(lines, "\n")
}

// lateAgencies are the agencies with a late report on some task.
func lateAgencies(b *progress.Board) []string {
	late := map[string]bool{}
	var names []string
	for _, r := range b.Rows {
		for _, l := range r.Agencies {
			if l.Late && !late[l.Agency] {
				late[l.Agency] = true
				names = append(names, l.Agency)
			}
		}
	}
	return names
}

// summaryNotesOf lists the texts agencies reported, each once with how
// many reports said it and who: the most said first, at most
// summaryNotes of them, then how many others there are.
func summaryNotesOf(list []progress.Note) string {
	type entry struct {
		text     string
		n        int
		agencies []string
		seen     map[string]bool
	}
	var order []*entry
	by := map[string]*entry{}
	for _, n := range list {
		text := plainInline(n.Text)
		e := by[text]
		if e == nil {
			e = &entry{text: text, seen: map[string]bool{}}
			by[text] = e
			order = append(order, e)
		}
		e.n++
		if !e.seen[n.Agency] {
			e.seen[n.Agency] = true
			e.agencies = append(e.agencies, n.Agency)
		}
	}
	slices.SortStableFunc(order, func(x, y *entry) int { return cmp.Compare(y.n, x.n) })
	var lines []string
	for i, e := range order {
		if i == summaryNotes && len(order) > summaryNotes+1 {
			rest := 0
			for _, o := range order[i:] {
				rest += o.n
			}
			lines = append(lines, fmt.Sprintf("- %s ý kiến khác (%s lượt), trong báo cáo của các cơ quan chủ trì.",
				vn.Count(len(order)-i), vn.Count(rest)))
			break
		}
		lines = append(lines, fmt.Sprintf("- %s (%s lượt; %s).", e.text, vn.Count(e.n), someAgencies(e.agencies)))
	}
	return strings.Join(lines, "\n")
}

// summaryCauses is section II.2 from the difficulties, each text once.
func summaryCauses(b *progress.Board) string {
	if len(b.Difficulties) == 0 {
		return "Các cơ quan chủ trì không báo cáo khó khăn, vướng mắc trong kỳ."
	}
	return "Khó khăn, vướng mắc các cơ quan chủ trì đã báo cáo:\n\n" + summaryNotesOf(b.Difficulties)
}

// summaryProposals is section IV from the proposals, each text once.
func summaryProposals(b *progress.Board) string {
	if len(b.Proposals) == 0 {
		return "Không có đề xuất, kiến nghị."
	}
	return summaryNotesOf(b.Proposals)
}

// summaryDirections is section III counted: the overdue tasks to finish,
// the tasks with a deadline due next by lead agency, the ongoing ones.
func summaryDirections(b *progress.Board) string {
	var out []string
	if n := b.Counts[progress.Overdue]; n > 0 {
		out = append(out, fmt.Sprintf("Các cơ quan chủ trì khẩn trương hoàn thành %s nhiệm vụ quá hạn (danh sách tại Phụ lục I).", vn.Count(n)))
	}
	count := map[string]int{}
	var names []string
	next, ongoing := 0, 0
	for _, u := range b.Upcoming {
		if u.Ongoing {
			ongoing++
			continue
		}
		next++
		for _, l := range u.Leads {
			if count[l] == 0 {
				names = append(names, l)
			}
			count[l]++
		}
	}
	if next > 0 {
		sortVietnamese(names)
		var lines []string
		for i, n := range names {
			if i == summaryAgencies && len(names) > summaryAgencies+1 {
				rest := 0
				for _, o := range names[i:] {
					rest += count[o]
				}
				lines = append(lines, fmt.Sprintf("- %s: %s nhiệm vụ.", OtherAgencies(len(names)-i), vn.Count(rest)))
				break
			}
			lines = append(lines, fmt.Sprintf("- %s: %s nhiệm vụ.", escapeMD(n), vn.Count(count[n])))
		}
		out = append(out, fmt.Sprintf("Trong %s, tập trung thực hiện %s nhiệm vụ có thời hạn, theo cơ quan chủ trì:", b.Next, vn.Count(next)),
			strings.Join(lines, "\n"))
	}
	if ongoing > 0 {
		out = append(out, fmt.Sprintf("Tiếp tục thực hiện %s nhiệm vụ thường xuyên theo Kế hoạch.", vn.Count(ongoing)))
	}
	if len(out) == 0 {
		return "Tiếp tục theo dõi, đôn đốc thực hiện Kế hoạch."
	}
	return strings.Join(out, "\n\n")
}
