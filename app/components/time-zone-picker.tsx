// The one time-zone picker: a plain <select> of the runtime's canonical zones (from the loader's
// timeZoneOptions(now), each labelled with its current UTC offset), so it posts without JavaScript.
// With JavaScript it suggests the browser's own zone: chosen for the person when the field is
// empty, otherwise offered as a "Use my time zone (…)" button whenever the field holds another zone.
import { useEffect, useRef, useState, type SelectHTMLAttributes } from "react";
import { canonicalTimeZone, zoneName, type TimeZoneOption } from "#app/utils/time.ts";

type Props = {
  /** The select's attributes: id, name, defaultValue, aria-* (Conform's getSelectProps fits). */
  select: SelectHTMLAttributes<HTMLSelectElement> & { id: string; name: string };
  options: TimeZoneOption[];
  /** Values offered before the zones, e.g. the programme window's "Anywhere on Earth". */
  leading?: TimeZoneOption[];
  /** The empty choice's words; without it the select has no empty choice. */
  emptyLabel?: string;
  /** [directory] Choose the browser's zone when the field is empty; false for a filter, where empty means "anywhere". */
  fillEmpty?: boolean;
};

/** The browser's zone under its current name, or null when the runtime does not say. */
function browserTimeZone(): string | null {
  try {
    return canonicalTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
  } catch {
    return null;
  }
}

export function TimeZonePicker({ select, options, leading = [], emptyLabel, fillEmpty = true }: Props) {
  const ref = useRef<HTMLSelectElement>(null);
  const [browserZone, setBrowserZone] = useState<string | null>(null);
  const [current, setCurrent] = useState<string>(String(select.defaultValue ?? select.value ?? ""));
  const [suggested, setSuggested] = useState(false);
  const offered = (zone: string) => options.some((o) => o.value === zone);

  useEffect(() => {
    const zone = browserTimeZone();
    const element = ref.current;
    if (!zone || !element || !offered(zone)) return;
    setBrowserZone(zone);
    if (element.value === "" && fillEmpty) {
      element.value = zone;
      setSuggested(true);
    }
    setCurrent(element.value);
    // Once, after hydration: the browser's zone does not change while the page is open.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  function chooseBrowserZone() {
    const element = ref.current;
    if (!element || !browserZone) return;
    element.value = browserZone;
    // Let form libraries (Conform) and listeners see the change as if the person made it.
    element.dispatchEvent(new Event("input", { bubbles: true }));
    element.dispatchEvent(new Event("change", { bubbles: true }));
    setCurrent(browserZone);
    setSuggested(false);
    element.focus();
  }

  const { onChange, ...rest } = select;
  return (
    <>
      <select
        {...rest}
        ref={ref}
        className={["time-zone-select", rest.className].filter(Boolean).join(" ")}
        onChange={(event) => {
          setCurrent(event.currentTarget.value);
          setSuggested(false);
          onChange?.(event);
        }}
      >
        {emptyLabel !== undefined ? <option value="">{emptyLabel}</option> : null}
        {leading.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {browserZone && suggested ? (
        <p className="field-hint time-zone-suggestion" role="status">
          Your browser says {zoneName(browserZone)}: we chose it for you. Change it if it is not where you work from.
        </p>
      ) : null}
      {browserZone && !suggested && current !== browserZone ? (
        <p className="time-zone-suggestion">
          <button type="button" className="link-button" onClick={chooseBrowserZone}>
            Use my time zone ({zoneName(browserZone)})
          </button>
        </p>
      ) : null}
    </>
  );
}
