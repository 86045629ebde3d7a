package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/learn"
)

// settingsScreen: language, text size and colours, each taking effect at
// once, and a few words about the app.
type settingsScreen struct{ u *UI }

func (u *UI) showSettings() {
	s := settingsScreen{u}
	u.showSection(sectionSettings, u.showSettings, func() string { return u.loc.T("settings.title") }, s.build)
}

func (s settingsScreen) build() fyne.CanvasObject {
	u := s.u
	objs := []fyne.CanvasObject{subheading(u.loc.T("settings.language"))}
	if u.learnerOpen() {
		objs = append([]fyne.CanvasObject{u.signOutTile()}, objs...)
	}
	if u.loc.Language().Draft {
		objs = append(objs, caption(u.loc.T("settings.draft")))
	}
	objs = append(objs, u.languageTiles(u.setLanguage)...)

	objs = append(objs, widget.NewSeparator(), subheading(u.loc.T("settings.text_size")))
	sizes := []fyne.CanvasObject{}
	current := u.textSize()
	if current == "" {
		current = SizeMedium
	}
	for _, size := range TextSizes {
		sizes = append(sizes, s.choice(u.loc.T("settings.size_"+string(size)), size == current, func() {
			u.setPref(prefTextSize, string(size))
			u.applyTheme()
			u.rebuildInPlace()
		}))
	}
	objs = append(objs, container.NewGridWithColumns(2, sizes...), caption(u.loc.T("settings.sample")))

	objs = append(objs, widget.NewSeparator(), subheading(u.loc.T("settings.colours")))
	palettes := []fyne.CanvasObject{}
	pal := u.palette()
	if pal == "" {
		pal = PaletteLight
	}
	for _, p := range Palettes {
		palettes = append(palettes, s.choice(u.loc.T("settings.theme_"+string(p)), p == pal, func() {
			u.setPref(prefPalette, string(p))
			u.applyTheme()
			u.rebuildInPlace()
		}))
	}
	objs = append(objs, container.NewGridWithColumns(1, palettes...))

	if u.d.Sync != nil {
		objs = append(objs, widget.NewSeparator(), subheading(u.loc.T("sync.title")), s.syncTile())
	}
	if u.d.Groups != nil {
		objs = append(objs, s.groupsTile())
	}
	if u.trainerVisible() {
		objs = append(objs, s.trainerTile())
	}
	// The safe profile shows the same section, believably: its changes
	// stay in memory.
	objs = append(objs, s.safetySettings()...)
	objs = append(objs, widget.NewSeparator(),
		subheading(u.loc.T("settings.about")),
		para(u.loc.T("settings.about_text")),
		caption(u.loc.T("settings.version", map[string]any{"Version": u.d.Version})),
	)
	return page(objs...)
}

// choice is one option of a setting, marked when it is the current one.
func (s settingsScreen) choice(text string, selected bool, tapped func()) fyne.CanvasObject {
	ic := theme.RadioButtonIcon()
	if selected {
		ic = theme.RadioButtonCheckedIcon()
	}
	t := xwidget.NewTile(sides(widget.NewIcon(ic), nil, strong(text)), tapped)
	if selected {
		t.SetState(xwidget.TileChosen)
	}
	return t
}

// syncTile says whether sync is on and opens the Sync screen.
func (s settingsScreen) syncTile() fyne.CanvasObject {
	u := s.u
	st := u.syncStatus()
	state := u.loc.T("sync.tile_off")
	if st.On {
		state = u.loc.T("sync.tile_on")
		if st.Problem != learn.SyncOK {
			state = u.loc.T("sync.problem_" + string(st.Problem))
		}
	}
	return xwidget.NewTile(sides(widget.NewIcon(theme.UploadIcon()), widget.NewIcon(nextIcon()),
		xwidget.Lines(strong(u.loc.T("sync.tile")), caption(state))), u.showSync)
}
