export function App() {
  return <main>Sightline</main>;
}
