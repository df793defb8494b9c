/** A request's error under the form that sent it (announced to screen readers); nothing without one. */
export function FormError({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {error}
    </p>
  );
}
