package app

import (
	"context"
	"path"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/room"
	"github.com/waymark-app/waymark/internal/textlayout"
)

// projector is the second window a trainer puts on the projector (or
// makes full screen): the step everyone is on, in large text, and once
// the trainer reveals them, how many chose each answer. It shows counts
// only: no name, no device, nothing of who answered what (it reads
// room.Projection, which holds none). The trainer's notes stay in the
// trainer's window.
type projector struct {
	u      *UI
	win    fyne.Window
	r      *room.Room
	l      *learn.Lesson
	cancel context.CancelFunc
}

// openProjector opens the projector window for a session, or brings it
// forward.
func (u *UI) openProjector(r *room.Room, l *learn.Lesson) {
	if p := u.proj; p != nil && p.r == r {
		p.win.Show()
		p.win.RequestFocus()
		return
	}
	u.closeProjector()
	ctx, cancel := context.WithCancel(context.Background())
	p := &projector{u: u, r: r, l: l, cancel: cancel, win: u.app.NewWindow(u.loc.T("projector.title"))}
	p.win.SetCloseIntercept(u.closeProjector)
	p.win.Resize(fyne.NewSize(1280, 720))
	u.proj = p
	p.refresh()
	p.win.Show()
	go func() {
		v := r.Version()
		for ctx.Err() == nil {
			v = r.Wait(ctx, v)
			u.do(func() {
				if u.proj == p {
					p.refresh()
				}
			})
		}
	}()
}

// closeProjector closes the projector window, if open.
func (u *UI) closeProjector() {
	if p := u.proj; p != nil {
		u.proj = nil
		p.cancel()
		p.win.Close()
	}
}

// projectorFullScreen puts the projector window full screen, or back.
func (u *UI) projectorFullScreen() {
	if p := u.proj; p != nil {
		p.win.SetFullScreen(!p.win.FullScreen())
	}
}

// refreshProjector draws the projector again (after the session ended).
func (u *UI) refreshProjector() {
	if u.proj != nil {
		u.proj.refresh()
	}
}

func (p *projector) refresh() {
	p.win.SetContent(container.NewThemeOverride(p.build(), bigTheme{p.u.app.Settings().Theme()}))
}

// Content returns what the projector shows (tests read it).
func (p *projector) Content() fyne.CanvasObject { return p.win.Content() }

func (p *projector) build() fyne.CanvasObject {
	u, l := p.u, p.l
	pr := p.r.Projection()
	reach := u.d.Hub.Reach()
	step := l.Steps[pr.Index]
	var objs []fyne.CanvasObject
	switch pr.Phase {
	case room.PhaseEnded:
		objs = append(objs, heading(u.loc.T("projector.ended")))
	case room.PhasePaused:
		objs = append(objs, container.NewCenter(widget.NewIcon(theme.MediaPauseIcon())), heading(u.loc.T("projector.paused")))
	default:
		objs = append(objs, caption(u.lessonTitle(l)+" · "+u.loc.T("player.step_of", map[string]any{"Step": pr.Index + 1, "Total": pr.Total})))
		if t := u.text(l, learn.StepKey(step.ID, learn.FieldTitle)); t != "" {
			objs = append(objs, heading(t))
		}
		objs = append(objs, p.step(step, pr)...)
	}
	// How to join, always at the foot: what to type in the app, and on
	// any phone's browser.
	foot := caption(u.loc.T("projector.join", map[string]any{"Address": reach.Address(), "Code": reach.AppCode,
		"PageAddress": reach.PageAddress(), "RoomCode": reach.RoomCode}))
	// The whole width of the screen, not a phone's reading width: a hall
	// reads from afar.
	body := container.NewVScroll(container.New(layout.NewCustomPaddedLayout(16, 16, 48, 48), container.NewVBox(objs...)))
	var side fyne.CanvasObject
	if pr.Index == 0 && pr.Phase == room.PhaseLive && reach.PageURL() != "" {
		side = p.qr(reach)
	}
	return container.NewBorder(nil, container.NewPadded(foot), nil, side, body)
}

// step shows a step's words, and for a question the answers once revealed.
func (p *projector) step(s learn.Step, pr room.Projection) []fyne.CanvasObject {
	u, l := p.u, p.l
	var out []fyne.CanvasObject
	switch s.Kind {
	case learn.KindRead, learn.KindPhrases:
		text := markdownText(u.markdown(l, learn.StepKey(s.ID, learn.FieldText)))
		if s.Image == "" {
			return append(out, text)
		}
		// The step's picture beside its words.
		return append(out, sides(nil, p.image(s), text))
	case learn.KindTrueFalse:
		out = append(out, quote(u.text(l, learn.StepKey(s.ID, learn.FieldStatement))))
	case learn.KindAdvert:
		out = append(out, markdownText(u.markdown(l, learn.StepKey(s.ID, learn.FieldAdvert))), strong(u.text(l, learn.StepKey(s.ID, learn.FieldQuestion))))
	default:
		if q := u.text(l, learn.StepKey(s.ID, learn.FieldQuestion)); q != "" {
			out = append(out, strong(q))
		}
	}
	if !pr.Revealed {
		if s.Kind == learn.KindChoice || s.Kind == learn.KindTrueFalse || s.Kind == learn.KindMulti || s.Kind == learn.KindAdvert || s.Kind == learn.KindSpot {
			var tiles []fyne.CanvasObject
			for _, id := range s.Choices() {
				tiles = append(tiles, xwidget.NewTile(para(u.choiceWords(l, s, id)), nil))
			}
			out = append(out, choiceGrid(tiles))
		}
		return append(out, caption(u.loc.N("projector.answered", pr.Answered)))
	}
	if len(pr.Counts) == 0 {
		return append(out, para(u.loc.N("projector.answered", pr.Answered)))
	}
	most := 1
	for _, c := range pr.Counts {
		most = max(most, c.N)
	}
	var tiles []fyne.CanvasObject
	for _, c := range pr.Counts {
		words := u.choiceWords(l, s, c.Choice)
		if c.Right {
			words = "✓ " + words
		}
		t := xwidget.NewTile(container.NewVBox(sides(nil, subheading(u.loc.Num(c.N)), strong(words)), xwidget.NewBar(float32(c.N)/float32(most))), nil)
		if c.Right {
			t.SetState(xwidget.TileGood)
		}
		tiles = append(tiles, t)
	}
	return append(out, choiceGrid(tiles))
}

// choiceGrid lays a question's choices out in two columns when there are
// more than two, so that a question and its answers fit one screen.
func choiceGrid(tiles []fyne.CanvasObject) fyne.CanvasObject {
	if len(tiles) <= 2 {
		return container.NewVBox(tiles...)
	}
	return container.NewGridWithColumns(2, tiles...)
}

// image is a step's picture, read from the content now, or nothing.
func (p *projector) image(s learn.Step) fyne.CanvasObject {
	data, err := readFile(p.u.d.Content, path.Join(p.l.Dir, s.Image))
	if err != nil {
		return nil
	}
	img, err := picture(s.Image, data, fyne.NewSize(300, 200))
	if err != nil {
		return nil
	}
	return container.NewPadded(img)
}

// qr is the join page's address as a QR code, for phones without the app.
func (p *projector) qr(reach room.Reach) fyne.CanvasObject {
	png, err := qrcode.Encode(reach.PageURL(), qrcode.Medium, 512)
	if err != nil {
		return nil
	}
	img := canvas.NewImageFromResource(fyne.NewStaticResource("join.png", png))
	img.FillMode = canvas.ImageFillContain
	img.ScaleMode = canvas.ImageScalePixels
	img.SetMinSize(fyne.NewSquareSize(260))
	addr := label(reach.PageURL(), theme.SizeNameCaptionText, false)
	addr.Dir = textlayout.LTR
	addr.Alignment = fyne.TextAlignCenter
	return container.NewPadded(container.NewVBox(caption(p.u.loc.T("projector.scan")), img, addr))
}

// bigTheme is the app's theme with text and spacing large enough to read
// from the back of a hall.
type bigTheme struct{ fyne.Theme }

func (t bigTheme) Size(n fyne.ThemeSizeName) float32 {
	s := t.Theme.Size(n)
	switch n {
	case theme.SizeNameText, theme.SizeNameHeadingText, theme.SizeNameSubHeadingText:
		return s * 1.8
	case theme.SizeNameCaptionText:
		return s * 1.4
	case theme.SizeNamePadding, theme.SizeNameInnerPadding:
		return s * 1.4
	}
	return s
}
