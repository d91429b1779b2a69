/*
 * The publishing calendar's grids (templates/publishing/calendar.html), drawn by
 * FullCalendar from the admin's feed (publishing/views/calendar.py, events).
 *
 * Times are "floating": the feed gives each entry's wall-clock time in the
 * editor's zone and the grid shows it as given (timeZone "UTC", no zone plugin).
 * A drag posts the new wall-clock time with that zone to the same reschedule view
 * the list's inline forms use, so the same functions and permission checks apply.
 */
(function () {
  'use strict';

  function pad(n) {
    return String(n).padStart(2, '0');
  }

  // A Date of the floating grid as "YYYY-MM-DDTHH:MM:SS" (its UTC fields).
  function wallClock(date) {
    return (
      `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
      `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
    );
  }

  function readable(date) {
    return wallClock(date).replace('T', ' ');
  }

  const LABELS = { publish: 'Publish', unpublish: 'Unpublish', release: 'Release' };

  function start() {
    const element = document.querySelector('[data-publishing-calendar]');
    const configElement = document.getElementById('publishing-calendar-config');
    if (!element || !configElement || !window.FullCalendar) {
      return;
    }
    const config = JSON.parse(configElement.textContent);
    const mover = document.querySelector('[data-calendar-move]');
    const today = config.now.slice(0, 10);

    const calendar = new window.FullCalendar.Calendar(element, {
      timeZone: 'UTC',
      now: config.now,
      initialDate: config.initialDate || today,
      initialView: config.initialView,
      firstDay: config.firstDay,
      locale: 'en-gb',
      views: {
        month: { type: 'dayGrid', duration: { weeks: 5 }, buttonText: 'Month' },
        week: { type: 'timeGrid', duration: { days: 7 }, buttonText: 'Week' },
      },
      headerToolbar: { left: 'prev,today,next', center: 'title', right: 'month,week' },
      buttonText: { today: 'Today' },
      buttonHints: { prev: 'Earlier', next: 'Later', today: 'Back to today' },
      height: 'auto',
      expandRows: true,
      dayMaxEvents: 4,
      eventDisplay: 'block',
      displayEventEnd: false,
      nowIndicator: true,
      scrollTime: `${pad(Math.max(0, Number(config.now.slice(11, 13)) - 1))}:00:00`,
      slotMinTime: '00:00:00',
      eventTimeFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
      slotLabelFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
      editable: true,
      eventDurationEditable: false,
      events: {
        url: config.eventsUrl,
        failure() {
          element.insertAdjacentHTML(
            'beforebegin',
            '<p class="help-block help-critical" role="alert">The calendar could not load its entries: reload the page.</p>',
          );
        },
      },
      eventDidMount(info) {
        const { kind, own } = info.event.extendedProps;
        const label = `${LABELS[kind] || kind}: ${info.event.title}, ${readable(info.event.start)} (${config.zone})` +
          (own && !own.endsWith(config.zone) ? `, ${own}` : '');
        info.el.setAttribute('title', label);
        info.el.setAttribute('aria-label', label);
        info.el.dataset.calendarEntry = info.event.id;
      },
      eventDrop(info) {
        const event = info.event;
        const when = readable(event.start);
        const question = `Move “${event.title}” to ${when} (${config.zone})?`;
        // eslint-disable-next-line no-alert
        if (!window.confirm(question)) {
          info.revert();
          return;
        }
        mover.action = event.extendedProps.reschedule;
        mover.elements.at.value = wallClock(event.start);
        mover.elements.zone.value = config.zone;
        mover.submit();
      },
    });
    calendar.render();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
