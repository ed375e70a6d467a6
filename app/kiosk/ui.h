/* ui.h - private to app/kiosk: the kiosk's state, widgets and layout. */
#ifndef POORT_KIOSK_UI_H
#define POORT_KIOSK_UI_H

#include "kiosk.h"

#define MAX_WIDGETS 96

enum style {
	ST_TEXT,        /* plain text on the background */
	ST_MUTED,       /* secondary text */
	ST_ERROR,       /* a refusal: dark red text on a light red panel */
	ST_NOTICE,      /* something to know: dark text on a light yellow panel */
	ST_OK,          /* a confirmation panel: dark green */
	ST_PRIMARY,     /* the main action */
	ST_CHOICE,      /* one of several options */
	ST_SELECTED,    /* a chosen option */
	ST_KEY,         /* keypad / keyboard key */
	ST_FIELD,       /* what was typed */
	ST_HEADER,      /* text in the header bar */
	ST_HEADER_BTN,  /* button in the header bar */
};

typedef struct widget {
	SDL_Rect r;
	const char *id;                   /* static name; tests tap by id */
	void (*tap)(kiosk *k, int arg);   /* NULL: not touchable */
	int arg;
	int style, size;
	bool bold, centre;
	char text[320];
} widget;

/* Everything about the person at the screen; wiped (zeroed) at the end of
 * every flow and after the idle timeout. */
typedef struct session {
	poort_id account;
	json_t *children;            /* poort_my_children() */
	int child;                   /* index into children */
	char code[16], pin[16];
	char error[320];             /* the current screen's refusal text */
	int flow;                    /* what the parent chose on the start screen */
	/* absence */
	int day_choice;              /* 0 today, 1 tomorrow, 2 other */
	poort_day from, to;
	int reason;
	char note[160];
	/* pick-up */
	json_t *adults;
	char collector[96];
	/* visitors */
	char vname[96], vwhom[96];
	json_t *visitors;
	/* conversations */
	poort_id round;
	json_t *mine;                /* poort_guardian_bookings(): bookings, offers */
	json_t *slots;               /* free times (or the alternatives after "taken") */
	json_t *proposals;           /* back-to-back proposals for siblings */
	int sib[4], nsib;            /* their children (indexes), in the proposals' order */
	char notice[320];            /* a good-news line on the current screen */
	/* the confirmation */
	char done_title[200], done_text[640], done_notice[320];
	bool done_error;
} session;

struct kiosk {
	poort *p;
	bool own_store;
	SDL_Window *win;
	SDL_Renderer *r;
	int w, h, target, em;
	float dpi;
	bool portrait, windowed;
	text_cache *tc;
	const char *font_regular, *font_bold;
	uint64_t (*ticks)(void *arg);
	void *ticks_arg;
	int lang, lang_default;        /* index into kiosk_langs[] */
	unsigned requests;             /* booking requests made: part of their ids */
	int64_t started;               /* unix time the kiosk started */
	json_t *late;                  /* teachers running late (public), on the start screen */
	uint64_t late_checked_ms;
	uint64_t reported_ms;          /* last poort_kiosk_report, for the health page */
	bool reported;

	/* frame state */
	bool dirty, built;
	unsigned long frames;
	widget wd[MAX_WIDGETS];
	int nw;
	int pressed;                   /* widget held down, -1 none */
	int64_t shown_minute;
	uint64_t last_input_ms, shown_at_ms;
	int warning_secs;              /* seconds left shown in the idle warning, -1 none */

	/* solid-colour strips: see fill() in ui.c */
	SDL_Texture *solid[16];
	uint32_t solid_rgb[16];
	int nsolid;

	/* layout cursor inside the current region */
	SDL_Rect region;
	int cy;

	/* flow state */
	int screen;
	char *field;                   /* text buffer the keypad/keyboard types into */
	size_t field_max;
	bool field_digits, field_masked;
	bool field_alt;                /* keyboard shows digits and accented letters */
	bool field_sentence;           /* a note: capital only at the start, not per word */
	scanner sc;
	session s;
};

/* Languages on the switch; the catalogue is per language (assets/locale/<code>). */
struct kiosk_lang {
	const char *code, *name;
};
extern const struct kiosk_lang kiosk_langs[];
extern const int kiosk_nlangs;

/* Translates msgid into the current language (a format stays checkable). */
const char *T(const kiosk *k, const char *msgid) __attribute__((format_arg(2)));
uint64_t kiosk_ms(const kiosk *k);
void kiosk_dirty(kiosk *k);

/* ---- ui.c ---- */
void ui_layout(kiosk *k);                     /* sizes from the window */
void ui_begin(kiosk *k, bool header_nav);     /* clears widgets, draws the header */
widget *ui_add(kiosk *k, SDL_Rect r, int style, int size, bool bold, const char *text);
widget *ui_button(kiosk *k, SDL_Rect r, int style, const char *id, void (*tap)(kiosk *, int),
                  int arg, const char *text);
void ui_region(kiosk *k, SDL_Rect r);
SDL_Rect ui_rest(kiosk *k);                   /* what is left of the region */
int ui_text(kiosk *k, const char *text, int style, int size, bool bold, bool centre);
void ui_gap(kiosk *k, int px);
/* n buttons as a grid filling at most max_h (0: the rest) of the region. */
/* args (NULL: the index) is what tap gets. */
void ui_choices(kiosk *k, int n, const char *const ids[], const char *const labels[],
                void (*tap)(kiosk *, int), const int args[], const int styles[], int max_h,
                int min_w);
/* The digit keypad, or the letter keyboard, over r, typing into k->field. */
void ui_keypad(kiosk *k, SDL_Rect r, void (*ok)(kiosk *, int), const char *ok_label);
void ui_keyboard(kiosk *k, SDL_Rect r, void (*ok)(kiosk *, int), const char *ok_label);
/* A bottom row: an optional secondary and a primary button. */
void ui_bottom(kiosk *k, const char *id2, const char *label2, void (*tap2)(kiosk *, int),
               const char *id1, const char *label1, void (*tap1)(kiosk *, int));
void ui_draw(kiosk *k);
void ui_free(kiosk *k);                       /* textures of the layout */
int ui_hit(const kiosk *k, int x, int y);

/* ---- screens.c ---- */
void screens_build(kiosk *k);
void screens_start(kiosk *k);                 /* wipes the session, back to start */
void screens_scan(kiosk *k, const char *token);
void screens_tick(kiosk *k, uint64_t now);
const char *screens_name(int screen);
void flow_back(kiosk *k, int arg);
void flow_stop(kiosk *k, int arg);
bool screens_personal(int screen);

#endif
