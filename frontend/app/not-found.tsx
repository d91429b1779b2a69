import Link from "next/link";

export default function NotFound() {
  return (
    <>
      <h1 data-not-found>Page not found</h1>
      <p>
        There is nothing at this address. <Link href="/">Back to the latest articles</Link>.
      </p>
    </>
  );
}
