// Trust badges next to a person's name: roadie, working-group member, admin, programme alumni.
const badgeLabels: Record<string, string> = {
  roadie: "Roadie",
  "working-group": "Working group",
  admin: "Working-group admin",
  "programme-alumni": "Programme alumni",
};

export function Badges({ badges }: { badges: string[] }) {
  if (!badges.length) return null;
  return (
    <ul className="badges" aria-label="Badges">
      {badges.map((b) => (
        <li key={b} className={`tag badge badge-${b}`}>
          {badgeLabels[b] ?? b}
        </li>
      ))}
    </ul>
  );
}
